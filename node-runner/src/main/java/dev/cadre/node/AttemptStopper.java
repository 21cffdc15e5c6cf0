package dev.cadre.node;

import dev.cadre.node.core.TimeLimit;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops attempts for {@link JobSupervisor}: SIGTERM to the job's processes (its session, or its cgroup), SIGKILL after the grace period
 * to whatever is left. An attempt whose SIGTERM could not be sent stays stoppable: a kill-job that failed is
 * redelivered and tries again, and a time limit, which nobody redelivers, is tried again here. It also arms each
 * attempt's time limit, and the warning the job asked for before it.
 */
final class AttemptStopper {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptStopper.class);
    /** How long a time limit or SIGKILL whose signal could not be sent waits before it is tried again. */
    static final Duration RETRY = Duration.ofSeconds(1);

    /** How signals reach a job's processes: its {@link JobProcesses} on a real node. */
    interface GroupSignals {
        /** @throws RuntimeException when the signal could not be sent */
        void signal(RunningAttempt r, ProcessGroups.Stop signal);

        boolean alive(RunningAttempt r);
    }

    static final GroupSignals PROCESS_GROUPS = new GroupSignals() {
        @Override
        public void signal(RunningAttempt r, ProcessGroups.Stop signal) {
            r.processes.signal(signal);
        }

        @Override
        public boolean alive(RunningAttempt r) {
            return r.processes.alive();
        }
    };

    private final ScheduledExecutorService timers;
    private final Duration killGrace;
    /** Whether the attempt is still the supervisor's: one that ended or was reported is not signalled. */
    private final Predicate<RunningAttempt> stillRunning;
    private final GroupSignals signals;

    AttemptStopper(ScheduledExecutorService timers, Duration killGrace, Predicate<RunningAttempt> stillRunning,
            GroupSignals signals) {
        this.timers = timers;
        this.killGrace = killGrace;
        this.stillRunning = stillRunning;
        this.signals = signals;
    }

    /**
     * Arms the attempt's time limit ({@link TimeLimit}: whatever the place-job says, nothing here can overflow) and
     * its --signal warning; nothing for a job without a limit.
     *
     * @param started when the attempt's wrapper started, from which the limit runs
     */
    void armTimeLimit(RunningAttempt r, JobSpec spec, Instant started, Clock clock) {
        Long limit = spec.timeLimitSeconds();
        if (limit == null) {
            return;
        }
        long remaining = TimeLimit.millisUntil(clock.instant(), TimeLimit.end(started, limit));
        r.timeLimit = timers.schedule(() -> stopAtTimeLimit(r), remaining, TimeUnit.MILLISECONDS);
        TimeLimitWarning.arm(timers, r.jobId, spec, r.wrapper, r.processes, started, clock,
                () -> r.killedFor == null && !r.wrapperEnded && stillRunning.test(r));
    }

    /**
     * Sends SIGTERM and arms SIGKILL; an attempt already sent its SIGTERM, or no longer running, is left alone.
     * The first reason given is the one the attempt's end reports. It is set before the signal is sent, since the
     * job may end of it at once and its end must say why.
     *
     * @throws RuntimeException when SIGTERM could not be sent; a later call tries again
     */
    void stop(RunningAttempt r, JobState reason) {
        synchronized (r) {
            if (r.termSent || !stillRunning.test(r)) {
                return;
            }
            if (r.killedFor == null) {
                r.killedFor = reason;
            }
            LOG.info("job {} attempt {}: stopping ({})", r.jobId, r.attempt, r.killedFor);
            r.lastSignal = 15;
            signals.signal(r, ProcessGroups.Stop.TERM);
            r.termSent = true;
        }
        schedule(() -> killWhatIsLeft(r), killGrace);
    }

    /** The time limit's stop: a failure is logged and the stop tried again, since no message will repeat it. */
    void stopAtTimeLimit(RunningAttempt r) {
        try {
            stop(r, JobState.TIMEOUT);
        } catch (RuntimeException e) {
            LOG.error("job {} attempt {}: cannot signal it at its time limit; trying again in {} ms", r.jobId,
                    r.attempt, RETRY.toMillis(), e);
            schedule(() -> stopAtTimeLimit(r), RETRY);
        }
    }

    private void killWhatIsLeft(RunningAttempt r) {
        try {
            if (stillRunning.test(r) && signals.alive(r)) {
                r.lastSignal = 9;
                signals.signal(r, ProcessGroups.Stop.KILL);
            }
        } catch (RuntimeException e) {
            LOG.error("job {} attempt {}: cannot send SIGKILL; trying again in {} ms", r.jobId, r.attempt,
                    RETRY.toMillis(), e);
            schedule(() -> killWhatIsLeft(r), RETRY);
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The supervisor is closing: the job outlives this runner, and the next one adopts it.
            LOG.debug("not scheduled: the supervisor is closing");
        }
    }
}
