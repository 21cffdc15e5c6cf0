package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the nodes report of attempts, turned into decisions: heartbeats, launches confirmed, ends, releases and
 * failures to launch, and the CPU ids attempts hold; an end of an attempt that already ended for the head frees its
 * slots and dates its record.
 */
final class RunnerEventDecisions {
    private final Clock clock;
    private final JobTable jobs;
    private final JobEndings endings;
    private final NodeLiveness nodes;
    private final LingeringAttempts lingering;
    private final AttemptCpuReports cpus = new AttemptCpuReports();

    RunnerEventDecisions(Clock clock, JobTable jobs, JobEndings endings, NodeLiveness nodes,
            LingeringAttempts lingering) {
        this.clock = clock;
        this.jobs = jobs;
        this.endings = endings;
        this.nodes = nodes;
        this.lingering = lingering;
    }

    Decisions on(RunnerEvent event) {
        if (event instanceof RunnerEvent.RunnerEvents batch) {
            Decisions d = new Decisions();
            batch.events().forEach(e -> d.addAll(on(e)));
            return d;
        }
        if (event instanceof RunnerEvent.NodeHeartbeat hb) {
            Decisions d = nodes.heartbeat(jobs, hb);
            d.addAll(cpus.heard(jobs, hb));
            return d;
        }
        if (event instanceof RunnerEvent.RunnerRunning r) {
            return current(r.jobId(), r.attempt()).map(j -> {
                Decisions d = confirmLaunch(j);
                d.addAll(cpus.started(j, r));
                return d;
            }).orElseGet(Decisions::new);
        }
        if (event instanceof RunnerEvent.RunnerFinished f) {
            return current(f.jobId(), f.attempt()).map(j -> endings.finished(jobs, j, f))
                    .orElseGet(() -> staleFinished(f));
        }
        if (event instanceof RunnerEvent.RunnerReleased r) {
            Decisions d = lingering.released(r.jobId(), r.attempt(), r.nodeId());
            d.addAll(nodes.released(jobs, r));
            return d;
        }
        RunnerEvent.RunnerFailed f = (RunnerEvent.RunnerFailed) event;
        return current(f.jobId(), f.attempt())
                .map(j -> endings.end(jobs, j, JobState.FAILED, "LaunchFailed", null, null, f.error()))
                .orElseGet(Decisions::new);
    }

    /**
     * The end of an attempt that already ended for the head: a kill it asked for, or an end the node saw while cut
     * off. The slots it held come free; and when the head had closed it as NODE_FAIL on its own (node timeout, a
     * lost attempt), this is when it really ended, which its record takes with what its processes used (so does one
     * it closed as REQUEUED while a user's requeue was stopping it; the store leaves a record in any other state
     * alone). A job requeued because
     * the one node it ran on stopped responding, not started again, ends as the attempt did if that node reports
     * that the script ended on its own ({@link LateOutcomes#end}); otherwise neither the job nor a newer attempt
     * changes: the job has moved on.
     */
    private Decisions staleFinished(RunnerEvent.RunnerFinished f) {
        Decisions d = lingering.released(f.jobId(), f.attempt(), f.nodeId());
        JobRecord j = jobs.get(f.jobId());
        if (j != null && f.attempt() > j.attempt()) {
            // No such attempt has been made: nothing to date.
            return d;
        }
        Optional<Decisions> ended = j == null ? Optional.empty() : endings.lateOutcome(jobs, j, f);
        if (ended.isPresent()) {
            d.addAll(ended.get());
            return d;
        }
        Instant now = clock.instant();
        d.lateEnd(new Decisions.LateEnd(f.jobId(), f.attempt(), f.time() == null || f.time().isAfter(now) ? now
                : f.time(), f.exitCode(), f.signal(), f.usage()));
        return d;
    }

    private Optional<JobRecord> current(long jobId, int attempt) {
        JobRecord j = jobs.get(jobId);
        return j != null && j.attempt() == attempt && j.state().isActive() ? Optional.of(j) : Optional.empty();
    }

    private Decisions confirmLaunch(JobRecord j) {
        Decisions d = new Decisions();
        if (!j.launchConfirmed()) {
            JobRecord confirmed = j.confirmed();
            jobs.put(confirmed);
            d.change(new JobChange(confirmed, j.state(), clock.instant(), null));
        }
        return d;
    }
}
