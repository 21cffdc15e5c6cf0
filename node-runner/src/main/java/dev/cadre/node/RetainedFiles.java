package dev.cadre.node;

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
 * One small text file per attempt in a directory of the node's state, kept after the attempt's own directory is
 * gone and forgotten after a retention.
 *
 * @param what what the files hold, for the log
 */
record RetainedFiles(Path dir, Duration retention, String what) {
    private static final Logger LOG = LoggerFactory.getLogger(RetainedFiles.class);

    static RetainedFiles in(Path dir, Duration retention, String what) throws IOException {
        return new RetainedFiles(Files.createDirectories(dir), retention, what);
    }

    private Path file(long jobId, int attempt) {
        return dir.resolve(jobId + "-" + attempt + ".json");
    }

    /** Writes the attempt's file atomically, replacing what it held. */
    void write(long jobId, int attempt, String text) throws IOException {
        Path target = file(jobId, attempt);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Optional<String> read(long jobId, int attempt) throws IOException {
        Path f = file(jobId, attempt);
        return Files.isRegularFile(f) ? Optional.of(Files.readString(f)) : Optional.empty();
    }

    /** Forgets files older than the retention; a failure is logged and tried again next time. */
    void pruneExpired(Instant now) {
        try {
            int removed = prune(now.minus(retention));
            if (removed > 0) {
                LOG.info("forgot {} {} older than {}", removed, what, retention);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not prune {}: {}", what, e.toString());
        }
    }

    /** Deletes the files last written before the cutoff; returns how many. */
    private int prune(Instant cutoff) throws IOException {
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
