package dev.cadre.node;

import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The reported outcome of every attempt this node ended, kept after its attempt directory is gone. The
 * scheduler re-sends place-job for attempts whose start it never saw confirmed (it may have crashed before
 * reading the node's events); such a repeat must report the outcome again, not run the job a second time.
 * Entries are pruned after a retention far longer than any scheduler restart.
 */
final class EndedAttempts implements AutoCloseable {
    static final Duration RETENTION = Duration.ofDays(7);
    private static final AttemptRecordStore.Kind KIND = new AttemptRecordStore.Kind("ended_attempt", "ended",
            RETENTION, "attempt outcomes");
    private final AttemptRecordStore store;

    EndedAttempts(Path stateDir) throws IOException {
        this(stateDir, Clock.systemUTC());
    }

    /** @param clock stamps each outcome recorded, which the retention counts from */
    EndedAttempts(Path stateDir, Clock clock) throws IOException {
        this.store = AttemptRecordStore.open(stateDir, KIND, clock, EndedAttempts::decode);
    }

    /** Stores the outcome that was reported (runner-finished or runner-failed); callable from any thread. */
    void record(long jobId, int attempt, RunnerEvent outcome) throws IOException {
        store.put(jobId, attempt, MessageCodec.encode(outcome));
    }

    /** An outcome to record, with the attempt it ended. */
    record Outcome(long jobId, int attempt, RunnerEvent event) {
    }

    /** Stores outcomes in one transaction: all of them, or none when one cannot be stored. */
    void recordAll(List<Outcome> outcomes) throws IOException {
        store.putAll(outcomes.stream()
                .map(o -> new AttemptRecordStore.Entry(o.jobId(), o.attempt(), MessageCodec.encode(o.event())))
                .toList());
    }

    Optional<RunnerEvent> find(long jobId, int attempt) throws IOException {
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

    private static RunnerEvent decode(String text) throws IOException {
        try {
            return MessageCodec.decode(text, RunnerEvent.class);
        } catch (ProtocolException e) {
            throw new IOException("unreadable outcome: " + e.getMessage(), e);
        }
    }

    /** Forgets outcomes older than the retention; a failure is logged and tried again next time. */
    void pruneExpired(Instant now) {
        store.pruneExpired(now);
    }

    @Override
    public void close() {
        store.close();
    }
}
