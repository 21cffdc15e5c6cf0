package dev.cadre.node;

import com.fasterxml.jackson.core.JacksonException;
import dev.cadre.node.core.LaunchPlanner;
import dev.cadre.node.core.OutputPaths;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The output files of every attempt this node coordinated, recorded when the attempt is placed and kept long after
 * its attempt directory is gone, so that its output can be read later by naming the attempt and never a path.
 */
final class OutputRecords {
    static final Duration RETENTION = Duration.ofDays(30);

    /** The stored form: paths as text, stderr null when it goes to the stdout file. */
    private record Stored(String stdout, String stderr) {
    }

    private final RetainedFiles files;

    OutputRecords(Path stateDir) throws IOException {
        this.files = RetainedFiles.in(stateDir.resolve("outputs"), RETENTION, "output records");
    }

    /** Records where the attempt writes; a repeated place-job writes the same again. */
    void remember(NodeCommand.PlaceJob place) throws IOException {
        OutputPaths paths = LaunchPlanner.outputPaths(place);
        files.write(place.jobId(), place.attempt(), MessageCodec.encodeValue(new Stored(paths.stdout().toString(),
                paths.stderr() == null ? null : paths.stderr().toString())));
    }

    Optional<OutputPaths> find(long jobId, int attempt) throws IOException {
        Optional<String> text = files.read(jobId, attempt);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Stored s = MessageCodec.mapper().readValue(text.get(), Stored.class);
            return Optional.of(new OutputPaths(Path.of(s.stdout()), s.stderr() == null ? null : Path.of(s.stderr())));
        } catch (JacksonException e) {
            throw new IOException("job " + jobId + " attempt " + attempt + ": unreadable output record: "
                    + e.getOriginalMessage(), e);
        }
    }

    void pruneExpired(Instant now) {
        files.pruneExpired(now);
    }
}
