package dev.cadre.node;

import dev.cadre.node.core.TimeLimit;
import dev.cadre.node.core.WarningSignal;
import dev.cadre.protocol.JobSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a job the signal it asked for with --signal some time before its time limit, so that it can save its
 * work before the limit's SIGTERM.
 *
 * <p>The attempt's wrapper never gets it: it is Cadre's, not the job's (and blocks or catches such signals, so that
 * one a script sends its own process group does not end it). The wrapper runs the script as its child, so the
 * batch script is the wrapper's first child ({@link ProcessGroups#signalBatchScript}) and the whole job is the
 * wrapper's session, or its cgroup, less the wrapper.
 */
final class TimeLimitWarning {
    private static final Logger LOG = LoggerFactory.getLogger(TimeLimitWarning.class);
    /** A warning due at once may come before the wrapper has started the script; how long to wait for it. */
    static final Duration SCRIPT_START_WAIT = Duration.ofSeconds(5);
    private static final long RETRY_MILLIS = 100;

    private final ScheduledExecutorService timers;
    private final long jobId;
    private final JobProcesses.Leader wrapper;
    private final JobProcesses processes;
    private final WarningSignal warning;
    private final BooleanSupplier running;

    private TimeLimitWarning(ScheduledExecutorService timers, long jobId, JobProcesses.Leader wrapper,
            JobProcesses processes,
            WarningSignal warning, BooleanSupplier running) {
        this.timers = timers;
        this.jobId = jobId;
        this.wrapper = wrapper;
        this.processes = processes;
        this.warning = warning;
        this.running = running;
    }

    /**
     * Schedules the job's warning, if it asked for one and has a time limit.
     *
     * @param wrapper the attempt's wrapper, whose pid is also its process group and session id
     * @param processes where the job's processes are: its session, or its cgroup
     * @param running false once the attempt has ended or is being stopped, when a warning would only confuse
     */
    static void arm(ScheduledExecutorService timers, long jobId, JobSpec spec, JobProcesses.Leader wrapper,
            JobProcesses processes, Instant started, Clock clock, BooleanSupplier running) {
        Optional<WarningSignal> warning = WarningSignal.of(spec, started);
        if (warning.isEmpty()) {
            return;
        }
        TimeLimitWarning w = new TimeLimitWarning(timers, jobId, wrapper, processes, warning.get(), running);
        long delay = TimeLimit.millisUntil(clock.instant(), warning.get().due());
        w.schedule(delay, SCRIPT_START_WAIT.toMillis() / RETRY_MILLIS);
    }

    private void schedule(long delayMillis, long retries) {
        try {
            timers.schedule(() -> send(retries), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The supervisor is closing; the next node-runner arms the warning again when it adopts the job.
        }
    }

    private void send(long retries) {
        if (!running.getAsBoolean()) {
            return;
        }
        List<Long> signalled;
        try {
            signalled = warning.batchOnly() ? ProcessGroups.signalBatchScript(wrapper, warning.killOptions())
                    : processes.signalAllBut(wrapper.pid(), warning.killOptions());
        } catch (RuntimeException e) {
            LOG.warn("job {}: could not send its time-limit warning: {}", jobId, e.toString());
            return;
        }
        String signal = String.join(" ", warning.killOptions());
        if (!signalled.isEmpty()) {
            LOG.info("job {}: sent its time-limit warning (kill {}) to {}", jobId, signal, signalled);
        } else if (retries > 0) {
            schedule(RETRY_MILLIS, retries - 1);
        } else {
            LOG.warn("job {}: found no process of the job to send its time-limit warning (kill {}) to", jobId,
                    signal);
        }
    }
}
