package dev.cadre.node;

import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The reported outcome of every attempt this node ended, kept after its attempt directory is gone. The
 * scheduler re-sends place-job for attempts whose start it never saw confirmed (it may have crashed before
 * reading the node's events); such a repeat must report the outcome again, not run the job a second time.
 * Entries are pruned after a retention far longer than any scheduler restart.
 */
final class EndedAttempts {
    static final Duration RETENTION = Duration.ofDays(7);
    private final RetainedFiles files;

    EndedAttempts(Path stateDir) throws IOException {
        this.files = RetainedFiles.in(stateDir.resolve("ended"), RETENTION, "attempt outcomes");
    }

    /** Stores the outcome that was reported (runner-finished or runner-failed), atomically. */
    void record(long jobId, int attempt, RunnerEvent outcome) throws IOException {
        files.write(jobId, attempt, MessageCodec.encode(outcome));
    }

    Optional<RunnerEvent> find(long jobId, int attempt) throws IOException {
        Optional<String> text = files.read(jobId, attempt);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MessageCodec.decode(text.get(), RunnerEvent.class));
        } catch (ProtocolException e) {
            throw new IOException("job " + jobId + " attempt " + attempt + ": unreadable outcome: " + e.getMessage(),
                    e);
        }
    }

    /** Forgets outcomes older than the retention; a failure is logged and tried again next time. */
    void pruneExpired(Instant now) {
        files.pruneExpired(now);
    }
}
