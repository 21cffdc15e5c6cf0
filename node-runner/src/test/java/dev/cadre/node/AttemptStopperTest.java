package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping an attempt when a signal cannot be sent. On a node that happens when /proc cannot be listed, which a
 * test cannot bring about, so the signals here fail as told and record what went out. Also arming time limits,
 * against a fixed clock.
 */
class AttemptStopperTest {
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final RunningAttempt attempt = new RunningAttempt(7, 1, 4242, new AttemptDirectory(Path.of("7-1")));

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    /** Signals whose first {@code termFailures} SIGTERMs and {@code killFailures} SIGKILLs fail. */
    private static final class FailingSignals implements AttemptStopper.GroupSignals {
        final AtomicInteger termFailures;
        final AtomicInteger killFailures;
        final List<ProcessGroups.Stop> sent = new CopyOnWriteArrayList<>();

        FailingSignals(int termFailures, int killFailures) {
            this.termFailures = new AtomicInteger(termFailures);
            this.killFailures = new AtomicInteger(killFailures);
        }

        @Override
        public void signal(RunningAttempt r, ProcessGroups.Stop signal) {
            AtomicInteger failures = signal == ProcessGroups.Stop.TERM ? termFailures : killFailures;
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("cannot list /proc");
            }
            sent.add(signal);
        }

        @Override
        public boolean alive(RunningAttempt r) {
            return true;
        }
    }

    private AttemptStopper stopper(Duration grace, FailingSignals signals) {
        return new AttemptStopper(timers, grace, r -> true, signals);
    }

    /**
     * Review L, finding 4: a kill that comes after the script ended on its own (its end recorded, or its wrapper gone)
     * does not make that end a kill: a job the head requeued while its node was away may end as that end says.
     */
    @Test
    void aKillAfterTheScriptEndedOnItsOwnLeavesItsEndAsItWas(@TempDir Path base) throws Exception {
        AttemptDirectory dir = new AttemptDirectory(base.resolve("7-1"));
        Files.createDirectories(base.resolve("7-1"));
        RunningAttempt recorded = new RunningAttempt(7, 1, 4242, dir);
        Files.writeString(dir.statusFile(), "0 0 0\n");
        FailingSignals signals = new FailingSignals(0, 0);
        stopper(Duration.ofMinutes(5), signals).stop(recorded, JobState.NODE_FAIL);
        assertNull(recorded.killedFor, "its end was recorded before the kill");
        assertEquals(List.of(ProcessGroups.Stop.TERM), signals.sent, "what it left is stopped all the same");

        RunningAttempt gone = new RunningAttempt(8, 1, 4243, new AttemptDirectory(base.resolve("8-1")));
        gone.wrapperEnded = true;
        stopper(Duration.ofMinutes(5), signals).stop(gone, JobState.CANCELLED);
        assertNull(gone.killedFor, "its wrapper had ended");

        RunningAttempt running = new RunningAttempt(9, 1, 4244, new AttemptDirectory(base.resolve("9-1")));
        stopper(Duration.ofMinutes(5), signals).stop(running, JobState.NODE_FAIL);
        assertEquals(JobState.NODE_FAIL, running.killedFor);
    }

    @Test
    void aKillWhoseSigtermFailedSendsItWhenTheKillJobIsRedelivered() {
        FailingSignals signals = new FailingSignals(1, 0);
        AttemptStopper stopper = stopper(Duration.ofMinutes(5), signals);
        assertThrows(IllegalStateException.class, () -> stopper.stop(attempt, JobState.CANCELLED));
        stopper.stop(attempt, JobState.CANCELLED);
        assertEquals(List.of(ProcessGroups.Stop.TERM), signals.sent);
        assertEquals(JobState.CANCELLED, attempt.killedFor);
        stopper.stop(attempt, JobState.CANCELLED);
        assertEquals(List.of(ProcessGroups.Stop.TERM), signals.sent, "a stopped attempt was signalled again");
    }

    @Test
    void aTimeLimitWhoseSigtermFailedIsTriedAgainUntilItGoesOut() throws Exception {
        FailingSignals signals = new FailingSignals(2, 0);
        stopper(Duration.ofMinutes(5), signals).stopAtTimeLimit(attempt);
        await("SIGTERM to go out", Duration.ofSeconds(10), () -> signals.sent.contains(ProcessGroups.Stop.TERM));
        assertEquals(JobState.TIMEOUT, attempt.killedFor);
    }

    @Test
    void aSigkillThatFailedIsTriedAgainWhileTheJobRuns() throws Exception {
        FailingSignals signals = new FailingSignals(0, 1);
        stopper(Duration.ZERO, signals).stop(attempt, JobState.CANCELLED);
        await("SIGKILL to go out", Duration.ofSeconds(10), () -> signals.sent.contains(ProcessGroups.Stop.KILL));
        assertEquals(List.of(ProcessGroups.Stop.TERM, ProcessGroups.Stop.KILL), signals.sent);
        assertEquals(9, attempt.lastSignal);
    }

    private static RunningAttempt attempt(long jobId) {
        return new RunningAttempt(jobId, 1, 4242, new AttemptDirectory(Path.of(jobId + "-1")));
    }

    private static long delayMillis(Future<?> timer) {
        return ((ScheduledFuture<?>) timer).getDelay(TimeUnit.MILLISECONDS);
    }

    @Test
    void aTimeLimitBeyondTheMaximumIsArmedAtTheMaximumWithItsWarning() {
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        AttemptStopper stopper = stopper(Duration.ofMinutes(5), new FailingSignals(0, 0));
        long max = JobSpecValidator.MAX_TIME_LIMIT_SECONDS * 1000;
        // 4e18 s overflowed Instant, more than 9.2e15 s the millis of a Duration: thrown while the job ran.
        for (long limit : new long[] {4_000_000_000_000_000_000L, 10_000_000_000_000_000L, Long.MAX_VALUE}) {
            RunningAttempt r = attempt(limit % 1000);
            JobSpec spec = JobSpec.builder().user("u").script("#!/bin/sh\n").workDir("/w").timeLimitSeconds(limit)
                    .warningSignal("USR1").build();
            int queued = timers.getQueue().size();
            stopper.armTimeLimit(r, spec, clock.instant().minusSeconds(10), clock);
            long delay = delayMillis(r.timeLimit);
            assertTrue(delay <= max - 10_000 && delay > max - 70_000, "armed in " + delay + " ms");
            assertEquals(queued + 2, timers.getQueue().size(), "the limit and its warning");
        }
    }

    @Test
    void aTimeLimitBelowASecondIsASecondAndNoLimitArmsNothing() {
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        AttemptStopper stopper = stopper(Duration.ofMinutes(5), new FailingSignals(0, 0));
        JobSpec.Builder spec = JobSpec.builder().user("u").script("#!/bin/sh\n").workDir("/w");
        RunningAttempt zero = attempt(1);
        stopper.armTimeLimit(zero, spec.timeLimitSeconds(0L).build(), clock.instant(), clock);
        long delay = delayMillis(zero.timeLimit);
        assertTrue(delay > 0 && delay <= 1000, "armed in " + delay + " ms");
        RunningAttempt none = attempt(2);
        stopper.armTimeLimit(none, spec.timeLimitSeconds(null).build(), clock.instant(), clock);
        assertNull(none.timeLimit);
    }
}
