package dev.cadre.scheduler;

import dev.cadre.db.StorageFailure;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits out SQLite failures of the file or its disk (full, read-only, I/O error, locked past the busy timeout; see
 * {@link StorageFailure}) so that the same write can be tried again once the operator has acted. Such a failure is
 * nobody's message's fault: rolling the messages back would spend their deliveries and dead-letter good ones. Logs
 * the first failure of an outage at ERROR, then a reminder every {@link #REMIND_EVERY}, and the recovery.
 * One per thread that writes.
 */
final class StorageOutage {
    private static final Logger LOG = LoggerFactory.getLogger(StorageOutage.class);
    static final Duration FIRST_WAIT = Duration.ofMillis(100);
    static final Duration MAX_WAIT = Duration.ofSeconds(5);
    static final Duration REMIND_EVERY = Duration.ofMinutes(1);

    private final String writer;
    private int failures;
    private long startedNanos;
    private long remindedNanos;

    /** @param writer what is writing, for the log: "the submission intake" */
    StorageOutage(String writer) {
        this.writer = writer;
    }

    /**
     * Whether the failure is the file's or the disk's, and so worth trying again: if it is, waits (longer each time
     * up to {@link #MAX_WAIT}) while {@code running} holds.
     *
     * @return true to try the same write again; false if the failure is the work's own, or the caller stopped
     */
    boolean waitOut(Throwable failure, BooleanSupplier running) {
        Optional<SQLException> cause = StorageFailure.environmental(failure);
        if (cause.isEmpty() || !running.getAsBoolean()) {
            return false;
        }
        long now = System.nanoTime();
        if (failures == 0) {
            startedNanos = now;
            remindedNanos = now;
            LOG.error("{} cannot write the database: {}. Holding its work and trying again until it can (see"
                    + " docs/operations.md, Disk)", writer, cause.get().getMessage(), failure);
        } else if (now - remindedNanos >= REMIND_EVERY.toNanos()) {
            remindedNanos = now;
            LOG.error("{} still cannot write the database after {} s: {}", writer,
                    Duration.ofNanos(now - startedNanos).toSeconds(), cause.get().getMessage());
        }
        failures++;
        long waitMillis = Math.min(MAX_WAIT.toMillis(), FIRST_WAIT.toMillis() << Math.min(failures - 1, 16));
        long until = System.nanoTime() + waitMillis * 1_000_000;
        try {
            // In short steps, so that a stop is not held up by a long wait.
            while (running.getAsBoolean() && System.nanoTime() < until) {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return running.getAsBoolean();
    }

    /** The write went through: ends an outage, if there was one. */
    void over() {
        if (failures > 0) {
            LOG.info("{} writes the database again, after {} failed tries over {} s", writer, failures,
                    Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds());
            failures = 0;
        }
    }
}
