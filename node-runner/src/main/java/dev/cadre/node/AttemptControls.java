package dev.cadre.node;

import dev.cadre.node.core.WarningSignal;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.protocol.SignalNames;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is done to an attempt {@link JobSupervisor} runs, once started, from outside it: the head's kill-job,
 * signal-attempt and set-time-limit, the kill another node of the job asks for when the job's processes there
 * went over its memory, and the usage of its remote commands, counted with its own. An attempt not running here is
 * left alone.
 */
final class AttemptControls {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptControls.class);
    private final Map<String, RunningAttempt> running;
    private final AttemptStopper stopper;
    private final Clock clock;

    /** @param running the supervisor's attempts, by {@link RunningAttempt#key} */
    AttemptControls(Map<String, RunningAttempt> running, AttemptStopper stopper, Clock clock) {
        this.running = running;
        this.stopper = stopper;
        this.clock = clock;
    }

    /**
     * Stops an attempt: SIGTERM to its group, SIGKILL after the grace period.
     *
     * @throws RuntimeException when SIGTERM could not be sent: the kill-job is to be redelivered, and tries again
     */
    void kill(NodeCommand.KillJob kill) {
        RunningAttempt r = running.get(RunningAttempt.key(kill.jobId(), kill.attempt()));
        if (r != null) {
            stopper.stop(r, kill.reason());
        }
    }

    /**
     * Counts a remote command's usage with the attempt's, for its end ({@link AgentUsage}).
     *
     * @return false, with nothing counted, when the attempt does not run here or its end was built
     */
    boolean countRemoteUsage(long jobId, int attempt, ResourceUsage usage) {
        RunningAttempt r = running.get(RunningAttempt.key(jobId, attempt));
        return r != null && r.remoteUsage.add(usage);
    }

    /**
     * Another node of the attempt is killing its commands there for the job's memory: the attempt is killed here as
     * {@link MemoryWatch} kills one over its memory on this node, and ends OUT_OF_MEMORY with {@code error}. Its first
     * reason stays if it was being stopped already.
     *
     * @return whether the attempt runs here
     */
    boolean stopForMemoryElsewhere(long jobId, int attempt, String error) {
        RunningAttempt r = running.get(RunningAttempt.key(jobId, attempt));
        if (r == null) {
            return false;
        }
        stopper.killNow(r, JobState.OUT_OF_MEMORY, error);
        return true;
    }

    /**
     * scancel --signal: the batch script alone, or every process of the job, the wrapper spared (it is Cadre's, not
     * the job's). An attempt being stopped is left alone.
     */
    void signal(NodeCommand.SignalAttempt s) {
        RunningAttempt r = running.get(RunningAttempt.key(s.jobId(), s.attempt()));
        if (r == null || r.killedFor != null || r.wrapperEnded) {
            return;
        }
        // Dropped, not thrown: a command that fails is redelivered, and this one would fail every time.
        if (SignalNames.problem(s.signal()) != null) {
            LOG.warn("job {} attempt {}: signal-attempt names no signal kill(1) takes ({}); dropped", s.jobId(),
                    s.attempt(), s.signal() == null ? "null" : "'" + s.signal().substring(0, Math.min(40,
                            s.signal().length())).replaceAll("\\p{Cntrl}", "?") + "'");
            return;
        }
        List<String> options = WarningSignal.killOptions(s.signal());
        List<Long> signalled = s.batchOnly() ? ProcessGroups.signalBatchScript(r.wrapper, options)
                : r.processes.signalAllBut(r.wrapper.pid(), options);
        LOG.info("job {} attempt {}: signal {} to {}", r.jobId, r.attempt, s.signal(), signalled);
    }

    /**
     * scontrol suspend: every process of the attempt but the wrapper is stopped, and its time limit paused. Kept in
     * its directory first, so a runner restarted meanwhile leaves it suspended. An attempt not running here, being
     * stopped or already suspended is left alone.
     *
     * @throws IOException when it cannot be kept: the command is to be redelivered
     */
    void suspend(NodeCommand.SuspendAttempt s) throws IOException {
        RunningAttempt r = running.get(RunningAttempt.key(s.jobId(), s.attempt()));
        if (r == null || r.killedFor != null || r.wrapperEnded || r.suspended) {
            return;
        }
        AttemptSuspension.keep(r.dir, true);
        stopper.pauseTimeLimit(r);
        LOG.info("job {} attempt {}: suspended, SIGSTOP to {}", r.jobId, r.attempt,
                AttemptSuspension.stop(r.processes, r.wrapper.pid()));
    }

    /**
     * scontrol resume: the limit the head gives (the job's own plus the time it spent suspended) is kept, then every
     * process continued, the mark removed and the limit armed again. An attempt not suspended here is left alone. The
     * mark goes only after SIGCONT: a runner killed in between adopts the attempt still suspended, and the resume,
     * redelivered, continues it; the other way round, the redelivered resume would find nothing suspended to continue.
     *
     * @throws IOException when it cannot be kept: the command is to be redelivered
     */
    void resume(NodeCommand.ResumeAttempt s) throws IOException {
        RunningAttempt r = running.get(RunningAttempt.key(s.jobId(), s.attempt()));
        if (r == null || !r.suspended) {
            return;
        }
        if (s.timeLimitSeconds() != null) {
            AttemptTimeLimit.keep(r.dir, s.timeLimitSeconds());
        }
        LOG.info("job {} attempt {}: resumed, SIGCONT to {}", r.jobId, r.attempt,
                AttemptSuspension.proceed(r.processes, r.wrapper.pid()));
        AttemptSuspension.keep(r.dir, false);
        stopper.resumeTimeLimit(r, s.timeLimitSeconds(), clock);
    }

    /**
     * A running attempt's new time limit ({@link AttemptStopper#changeTimeLimit}); one being stopped is left alone.
     *
     * @throws IOException when it cannot be kept: the command is to be redelivered
     */
    void setTimeLimit(NodeCommand.SetTimeLimit s) throws IOException {
        RunningAttempt r = running.get(RunningAttempt.key(s.jobId(), s.attempt()));
        if (r == null || r.killedFor != null || r.wrapperEnded) {
            LOG.info("job {} attempt {}: not running here, or being stopped; its new time limit ({} s) is ignored",
                    s.jobId(), s.attempt(), s.timeLimitSeconds());
            return;
        }
        stopper.changeTimeLimit(r, s.timeLimitSeconds(), clock);
    }
}
