package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping an attempt when a signal cannot be sent. On a node that happens when /proc cannot be listed, which a
 * test cannot bring about, so the signals here fail as told and record what went out.
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
        public void signal(long pgid, ProcessGroups.Stop signal) {
            AtomicInteger failures = signal == ProcessGroups.Stop.TERM ? termFailures : killFailures;
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("cannot list /proc");
            }
            sent.add(signal);
        }

        @Override
        public boolean alive(long pgid) {
            return true;
        }
    }

    private AttemptStopper stopper(Duration grace, FailingSignals signals) {
        return new AttemptStopper(timers, grace, r -> true, signals);
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
}
