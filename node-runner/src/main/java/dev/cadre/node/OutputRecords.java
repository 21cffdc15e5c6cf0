package dev.cadre.node;

import com.fasterxml.jackson.core.JacksonException;
import dev.cadre.node.core.LaunchPlanner;
import dev.cadre.node.core.OutputPaths;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The output files of every attempt this node coordinated, recorded when the attempt is placed and kept long after
 * its attempt directory is gone, so that its output can be read later by naming the attempt and never a path.
 */
final class OutputRecords implements AutoCloseable {
    static final Duration RETENTION = Duration.ofDays(30);
    private static final AttemptRecordStore.Kind KIND = new AttemptRecordStore.Kind("output_record", "outputs",
            RETENTION, "output records");

    /** The stored form: paths as text, stderr null when it goes to the stdout file. */
    private record Stored(String stdout, String stderr) {
    }

    private final AttemptRecordStore store;

    OutputRecords(Path stateDir) throws IOException {
        this(stateDir, Clock.systemUTC());
    }

    /** @param clock stamps each record written, which the retention counts from */
    OutputRecords(Path stateDir, Clock clock) throws IOException {
        this.store = AttemptRecordStore.open(stateDir, KIND, clock, OutputRecords::decode);
    }

    /**
     * Records where each attempt writes, in one transaction: all are recorded, or none. A repeated place-job
     * writes the same again.
     */
    void rememberAll(List<NodeCommand.PlaceJob> places) throws IOException {
        List<AttemptRecordStore.Entry> entries = new ArrayList<>(places.size());
        for (NodeCommand.PlaceJob place : places) {
            OutputPaths paths;
            try {
                paths = LaunchPlanner.outputPaths(place);
            } catch (IllegalArgumentException e) {
                // Its launch fails the attempt with this reason; the burst's other jobs must not roll back with it.
                continue;
            }
            String text = MessageCodec.encodeValue(new Stored(paths.stdout().toString(),
                    paths.stderr() == null ? null : paths.stderr().toString()));
            entries.add(new AttemptRecordStore.Entry(place.jobId(), place.attempt(), place.jobKey(), text));
        }
        store.putAll(entries);
    }

    Optional<OutputPaths> find(long jobId, int attempt) throws IOException {
        Optional<String> text = store.find(jobId, attempt);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(text.get()));
        } catch (IOException e) {
            throw new IOException("job " + jobId + " attempt " + attempt + ": " + e.getMessage(), e);
        }
    }

    private static OutputPaths decode(String text) throws IOException {
        Stored s;
        try {
            s = MessageCodec.mapper().readValue(text, Stored.class);
        } catch (JacksonException e) {
            throw new IOException("unreadable output record: " + e.getOriginalMessage(), e);
        }
        if (s == null || s.stdout() == null) {
            throw new IOException("output record without a stdout path");
        }
        return new OutputPaths(Path.of(s.stdout()), s.stderr() == null ? null : Path.of(s.stderr()));
    }

    /** Forgets records older than the retention; a failure is logged and tried again next time. */
    void pruneExpired(Instant now) {
        store.pruneExpired(now);
    }

    @Override
    public void close() {
        store.close();
    }
}
