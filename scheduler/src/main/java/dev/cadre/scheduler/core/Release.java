package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * When a running job is expected to give its resources back: its start plus its time limit, at which the node
 * ends it. Backfill plans with these times.
 */
public record Release(Instant at, Allocation allocation, boolean wholeNodes) {
    /**
     * What a job without a time limit is planned to take: it may run for ever, and a year is that for any plan;
     * a finite figure keeps the arithmetic simple.
     */
    public static final Duration UNLIMITED = Duration.ofDays(366);

    /**
     * How long the job may run, within a second and {@link #UNLIMITED}: a limit outside them can only have been
     * stored unchecked (before updates were checked), and must neither overflow the time arithmetic nor let a job
     * pass for one that ends before it starts.
     */
    public static Duration limitOf(JobSpec spec) {
        Long seconds = spec.timeLimitSeconds();
        return seconds == null || seconds > UNLIMITED.toSeconds() ? UNLIMITED
                : Duration.ofSeconds(Math.max(1, seconds));
    }
}
