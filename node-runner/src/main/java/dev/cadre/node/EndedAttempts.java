package dev.cadre.node;

import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reported outcome of every attempt this node ended, kept after its attempt directory is gone. The
 * scheduler re-sends place-job for attempts whose start it never saw confirmed (it may have crashed before
 * reading the node's events); such a repeat must report the outcome again, not run the job a second time.
 * Entries are pruned after a retention far longer than any scheduler restart.
 */
final class EndedAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(EndedAttempts.class);
    static final Duration RETENTION = Duration.ofDays(7);
    private final Path dir;

    EndedAttempts(Path stateDir) throws IOException {
        this.dir = Files.createDirectories(stateDir.resolve("ended"));
    }

    private Path file(long jobId, int attempt) {
        return dir.resolve(jobId + "-" + attempt + ".json");
    }

    /** Stores the outcome that was reported (runner-finished or runner-failed), atomically. */
    void record(long jobId, int attempt, RunnerEvent outcome) throws IOException {
        Path target = file(jobId, attempt);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.writeString(tmp, MessageCodec.encode(outcome));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Optional<RunnerEvent> find(long jobId, int attempt) throws IOException {
        Path f = file(jobId, attempt);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MessageCodec.decode(Files.readString(f), RunnerEvent.class));
        } catch (ProtocolException e) {
            throw new IOException(f + ": unreadable outcome: " + e.getMessage(), e);
        }
    }

    /** Forgets outcomes older than the retention; a failure is logged and tried again next time. */
    void pruneExpired(Instant now) {
        try {
            int removed = prune(now.minus(RETENTION));
            if (removed > 0) {
                LOG.info("forgot {} attempt outcomes older than {}", removed, RETENTION);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not prune ended attempts: {}", e.toString());
        }
    }

    /** Deletes outcomes recorded before the cutoff; returns how many. */
    int prune(Instant cutoff) throws IOException {
        int removed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff) && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        }
        return removed;
    }
}
