package dev.cadre.node;

import dev.cadre.node.core.AttemptUsage;
import dev.cadre.node.core.WrapperStatus;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.protocol.RunnerEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of an attempt whose wrapper is gone ({@link JobSupervisor}): what the job left in its group or cgroup is
 * cleared, then its outcome is reported, and once sent remembered and the attempt forgotten ({@link ReportedEnds}).
 */
final class AttemptCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptCompletion.class);
    /** How long an attempt's end waits for the exits its agents here still wait for ({@link #awaitingAgents}). */
    static final Duration AGENT_EXITS = Duration.ofSeconds(2);
    private static final long AGENT_POLL_MILLIS = 20;
    private final String nodeId;
    private final Duration killGrace;
    private final AttemptEvents events;
    private final ReportedEnds reported;
    /** This node's exec relay, for its agents' failures; null when it has none. */
    private final ExecRelay relay;
    private final ScheduledExecutorService timers;
    private final ExecutorService endings;
    private final Clock clock;

    /** @param endings where ends are handled; {@code timers} hands them back there to try again */
    AttemptCompletion(String nodeId, Duration killGrace, AttemptEvents events, ReportedEnds reported,
            ExecRelay relay, ScheduledExecutorService timers, ExecutorService endings, Clock clock) {
        this.nodeId = nodeId;
        this.killGrace = killGrace;
        this.events = events;
        this.reported = reported;
        this.relay = relay;
        this.timers = timers;
        this.endings = endings;
        this.clock = clock;
    }

    /**
     * The wrapper is gone: clear what the job left in its group or cgroup, then report. The attempt stays listed as
     * running until the report is sent, so no heartbeat can claim it vanished; one whose cgroup cannot be emptied
     * (a process that outlived SIGKILL, in uninterruptible sleep) stays listed, and is looked at again every second.
     */
    void complete(RunningAttempt r, Integer wrapperExit) {
        if (awaitingAgents(r)) {
            timers.schedule(() -> endings.execute(() -> complete(r, wrapperExit)), AGENT_POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
            return;
        }
        try {
            AttemptDirectory.RecordedEnd recorded = r.dir.recordedEnd();
            if (!r.clearLeftovers(recorded.status(), killGrace)) {
                LOG.warn("job {} attempt {}: processes are left in {} after SIGKILL; trying again in {} ms", r.jobId,
                        r.attempt, r.processes, AttemptStopper.RETRY.toMillis());
                timers.schedule(() -> endings.execute(() -> complete(r, wrapperExit)),
                        AttemptStopper.RETRY.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            Optional<String> wrapperFailure = recorded.status().isEmpty() ? r.dir.wrapperFailure()
                    : Optional.empty();
            if (wrapperFailure.isPresent()) {
                fail(r, wrapperFailure.get() + " on " + nodeId);
                return;
            }
            Optional<WrapperStatus> status = r.endStatus(recorded.status(), wrapperExit);
            if (status.isEmpty()) {
                fail(r, recorded.missing());
                return;
            }
            int exit = status.get().exitCode();
            int signal = status.get().signal();
            String agentFailure = relay == null ? null : relay.takeFailure(r.jobId, r.attempt);
            String error = r.killError != null ? r.killError : exit != 0 || signal != 0 ? agentFailure : null;
            // The cgroup's counters cover every process of the attempt; the wrapper's, when it recorded the end,
            // stand in for those the cgroup lacks, or for the cgroup the attempt did not have. With them go its
            // remote commands' (closed now: an exit that comes later is not counted). No wrapper nor cgroup keeps a
            // virtual memory peak: the largest size the memory checks sampled is it.
            ResourceUsage script = AttemptUsage.withVmSize(AttemptUsage.reported(r.cgroupUsage,
                    status.get().usage()), r.maxVmSizeBytes);
            ResourceUsage usage = AttemptUsage.combined(script, r.remoteUsage.close());
            finish(r, new RunnerEvent.RunnerFinished(r.jobId, r.attempt, nodeId, exit, signal, r.killedFor,
                    clock.instant(), error, usage));
        } catch (Exception e) {
            // The directory stays; the next start of the node-runner reports the attempt again.
            LOG.error("job {} attempt {}: could not report its end", r.jobId, r.attempt, e);
        }
    }

    /**
     * Reports the attempt failed: its wrapper could not run the job (it failed its cgroup's join, say), or left no
     * end. Logged as the node's other failures are ({@link UnstartedAttempts#report}): the reason is otherwise only in
     * the job's reason text, on the head.
     */
    private void fail(RunningAttempt r, String reason) {
        LOG.warn("job {} attempt {}: {}", r.jobId, r.attempt, reason);
        finish(r, new RunnerEvent.RunnerFailed(r.jobId, r.attempt, nodeId, reason, clock.instant()));
    }

    /**
     * Whether the attempt's end waits a moment longer for the exits its agents here still wait for. Open MPI's mpirun
     * exits once its daemons have, without waiting for its agents to hear their exits, which come through the broker
     * a few milliseconds later with the daemons' usage (protocol.md 13.7); cleared with the attempt's leftovers, the
     * agents would take that usage with them. At most {@link #AGENT_EXITS}, polled on the timers, so no ending thread
     * waits; not for an attempt being killed, whose agents' commands are killed too.
     */
    private boolean awaitingAgents(RunningAttempt r) {
        if (relay == null || r.killedFor != null || !relay.usage().waiting(r.jobId, r.attempt)) {
            return false;
        }
        long now = System.nanoTime();
        if (r.agentExitsDue == null) {
            r.agentExitsDue = now + AGENT_EXITS.toNanos();
        }
        if (now - r.agentExitsDue < 0) {
            return true;
        }
        LOG.info("job {} attempt {}: its agents still wait for their commands {} s after its script ended; those"
                + " commands' usage is not counted, and the agents are killed with its leftovers", r.jobId, r.attempt,
                AGENT_EXITS.toSeconds());
        return false;
    }

    /**
     * Reports the outcome, then, once it is sent, remembers it and forgets the attempt; a crash in between reports
     * it again. The ending thread does not wait for the send, so ends that come while it is under way share a
     * message, and then a commit of their outcomes.
     */
    private void finish(RunningAttempt r, RunnerEvent outcome) {
        events.sendInBackground(outcome).thenRun(() -> reported.add(r, outcome)).exceptionally(e -> {
            // The send failed, or (at close) the forgetting could not be scheduled: the attempt stays listed and its
            // directory stays, so the next start of the node-runner reports it again.
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RunnerEventSender.NotSentBeforeStop) {
                LOG.warn("job {} attempt {}: its end was not sent before the node-runner stopped; the next start"
                        + " reports it", r.jobId, r.attempt);
            } else {
                LOG.error("job {} attempt {}: could not report its end, or forget it once reported", r.jobId,
                        r.attempt, e);
            }
            return null;
        });
    }
}
