package dev.cadre.node;

import dev.cadre.node.core.TimeLimit;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
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

        /** SIGCONT to what a suspend stopped ({@link AttemptSuspension}). */
        default void proceed(RunningAttempt r) {
            AttemptSuspension.proceed(r.processes, r.wrapper.pid());
        }
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
     * its --signal warning; nothing for a job without a limit. A limit a set-time-limit gave the attempt, kept in its
     * directory ({@link AttemptTimeLimit}), replaces the place-job's: this runner may be adopting the attempt.
     *
     * @param started when the attempt's wrapper started, from which the limit runs
     */
    void armTimeLimit(RunningAttempt r, JobSpec spec, Instant started, Clock clock) {
        var kept = AttemptTimeLimit.kept(r.dir);
        boolean suspended = AttemptSuspension.kept(r.dir);
        synchronized (r) {
            r.suspended = suspended;
            r.limitSpec = kept.isPresent() ? spec.toBuilder().timeLimitSeconds(kept.getAsLong()).build() : spec;
            r.started = started;
            arm(r, clock);
        }
    }

    /**
     * A set-time-limit: the new limit, counted from the attempt's start, replaces the armed one, and the --signal
     * warning is armed for it unless it went out already. It is kept in the attempt's directory first, so that a
     * runner restarted meanwhile enforces it too. A limit already passed stops the attempt now, as TIMEOUT.
     *
     * @throws IOException when it cannot be kept: the command is to be redelivered
     */
    void changeTimeLimit(RunningAttempt r, long seconds, Clock clock) throws IOException {
        AttemptTimeLimit.keep(r.dir, seconds);
        synchronized (r) {
            if (r.started == null) {
                // Not armed yet: arming reads the limit just kept.
                return;
            }
            r.limitSpec = r.limitSpec.toBuilder().timeLimitSeconds(seconds).build();
            LOG.info("job {} attempt {}: time limit now {} s from its start", r.jobId, r.attempt, seconds);
            arm(r, clock);
        }
    }

    /**
     * scontrol suspend: the time limit stops counting, and its warning with it; the resume arms them again with the
     * limit the head gives, which adds the time spent suspended.
     */
    void pauseTimeLimit(RunningAttempt r) {
        synchronized (r) {
            r.suspended = true;
            r.limitArmings++;
            Future<?> armed = r.timeLimit;
            if (armed != null) {
                armed.cancel(false);
            }
        }
    }

    /**
     * scontrol resume: the limit counts again, the new one (from the attempt's start) when the head gave one.
     *
     * @param seconds the attempt's whole limit, already kept in its directory; null to keep the one it has
     */
    void resumeTimeLimit(RunningAttempt r, Long seconds, Clock clock) {
        synchronized (r) {
            r.suspended = false;
            if (r.started == null) {
                return;
            }
            if (seconds != null) {
                r.limitSpec = r.limitSpec.toBuilder().timeLimitSeconds(seconds).build();
            }
            arm(r, clock);
        }
    }

    /** Called holding the attempt's lock. A suspended attempt's limit is not armed: it does not count. */
    private void arm(RunningAttempt r, Clock clock) {
        Long limit = r.limitSpec.timeLimitSeconds();
        Future<?> armed = r.timeLimit;
        if (limit == null || r.suspended) {
            if (armed != null && r.suspended) {
                armed.cancel(false);
            }
            return;
        }
        if (armed != null) {
            armed.cancel(false);
        }
        int arming = ++r.limitArmings;
        long remaining = TimeLimit.millisUntil(clock.instant(), TimeLimit.end(r.started, limit));
        r.timeLimit = timers.schedule(() -> stopAtTimeLimit(r), remaining, TimeUnit.MILLISECONDS);
        if (!r.warningSent) {
            TimeLimitWarning.arm(timers, r.jobId, r.limitSpec, r.wrapper, r.processes, r.started, clock,
                    () -> warningDue(r, arming));
        }
    }

    /** Whether the warning armed at that arming is still due; once it is, it counts as sent. */
    private boolean warningDue(RunningAttempt r, int arming) {
        synchronized (r) {
            if (r.limitArmings != arming || r.killedFor != null || r.wrapperEnded || !stillRunning.test(r)) {
                return false;
            }
            r.warningSent = true;
            return true;
        }
    }

    /**
     * Sends SIGTERM and arms SIGKILL; an attempt already sent its SIGTERM, or no longer running, is left alone.
     * The first reason given is the one the attempt's end reports. It is set before the signal is sent, since the
     * job may end of it at once and its end must say why; but not for a script that had already ended on its own (its
     * wrapper gone, or its end recorded): that end is what happened, which the head may take as the job's outcome
     * (a job requeued while its node was away ends as its attempt did).
     *
     * @throws RuntimeException when SIGTERM could not be sent; a later call tries again
     */
    void stop(RunningAttempt r, JobState reason) {
        synchronized (r) {
            if (r.termSent || !stillRunning.test(r)) {
                return;
            }
            if (r.killedFor == null && !endedOnItsOwn(r)) {
                r.killedFor = reason;
            }
            LOG.info("job {} attempt {}: stopping ({})", r.jobId, r.attempt, r.killedFor == null
                    ? reason + ", after its script ended" : r.killedFor);
            r.lastSignal = 15;
            signals.signal(r, ProcessGroups.Stop.TERM);
            r.termSent = true;
            if (r.suspended) {
                // Stopped processes take SIGTERM only once continued, as slurmstepd continues a suspended step.
                signals.proceed(r);
            }
        }
        schedule(() -> killWhatIsLeft(r), killGrace);
    }

    private static boolean endedOnItsOwn(RunningAttempt r) {
        return r.wrapperEnded || Files.exists(r.dir.statusFile());
    }

    /**
     * Kills the attempt at once with SIGKILL, no SIGTERM and grace first: a job over its memory would only take more
     * of the node's meanwhile, and Slurm's OverMemoryKill does the same. The reason and error are set first, so its
     * end reports them; an attempt already being stopped keeps its first reason. A SIGKILL that could not be sent is
     * tried again, since no message will repeat it.
     */
    void killNow(RunningAttempt r, JobState reason, String error) {
        synchronized (r) {
            if (r.killedFor != null || r.wrapperEnded || !stillRunning.test(r)) {
                return;
            }
            r.killedFor = reason;
            r.killError = error;
            // No SIGTERM is to follow: a kill-job that comes now finds the attempt being stopped.
            r.termSent = true;
            LOG.warn("job {} attempt {}: killing it ({}): {}", r.jobId, r.attempt, reason, error);
        }
        killWhatIsLeft(r);
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
