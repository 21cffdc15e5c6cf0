package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * scontrol suspend and resume, as slurmctld's job_suspend judges them: a running job is suspended, its processes
 * stopped on every node of its allocation, and its time limit stops counting; a suspended one is resumed. As in
 * Slurm (select/cons_tres with an indefinite suspend), a suspended job gives its cores to other jobs and keeps its
 * memory and GPUs ({@link FreeResources#takeSuspended}); its resume takes its cores back even when jobs started on
 * them meanwhile, which then share them until they end, and is never refused for that. A whole array's id acts on
 * each of its records it may; a pending record is refused as Slurm refuses it ("Job is pending execution"), a running
 * one asked to resume as not suspended, one being stopped or ended as done. Suspending a suspended job changes
 * nothing and is no error, as in Slurm.
 */
final class JobSuspension {
    private final Clock clock;
    private final JobTable jobs;

    JobSuspension(Clock clock, JobTable jobs) {
        this.clock = clock;
        this.jobs = jobs;
    }

    JobControl.Outcome<ClientReply.ControlResult> suspend(long jobId, Integer taskId) {
        return act(jobId, taskId, true);
    }

    JobControl.Outcome<ClientReply.ControlResult> resume(long jobId, Integer taskId) {
        return act(jobId, taskId, false);
    }

    private JobControl.Outcome<ClientReply.ControlResult> act(long jobId, Integer taskId, boolean suspend) {
        Decisions d = new Decisions();
        RequestTargets t = RequestTargets.resolve(jobs, jobId, taskId);
        if (t.problem() != null) {
            return new JobControl.Outcome<>(d, new ClientReply.ControlResult(jobId, false, null, t.problem()));
        }
        if (t.inside() != null) {
            return refused(d, jobId, JobState.PENDING, "job " + jobId + "_" + taskId + " is pending execution");
        }
        Instant now = clock.instant();
        List<JobRecord> acted = new ArrayList<>();
        boolean unchanged = false;
        for (JobRecord j : t.records()) {
            if (suspend && j.state() == JobState.SUSPENDED) {
                unchanged = true;
            } else if (suspend && j.state() == JobState.RUNNING && j.launchConfirmed()) {
                acted.add(suspended(j, now, d));
            } else if (!suspend && j.state() == JobState.SUSPENDED) {
                acted.add(resumed(j, now, d));
            }
        }
        if (!acted.isEmpty() || unchanged) {
            return new JobControl.Outcome<>(d, new ClientReply.ControlResult(jobId, true, suspend
                    ? JobState.SUSPENDED : JobState.RUNNING, null));
        }
        JobRecord first = t.records().get(0);
        return refused(d, jobId, first.state(), why(first, suspend));
    }

    /** The scheduler's words for a record that cannot be suspended or resumed; scontrol gives Slurm's by its state. */
    static String why(JobRecord j, boolean suspend) {
        String job = "job " + j.displayId();
        return switch (j.state()) {
            case PENDING, REQUEUED -> job + " is pending execution";
            case RUNNING -> suspend ? job + " has not yet been confirmed running by its node; try again"
                    : job + " is not suspended";
            case COMPLETING -> job + " is already completing";
            default -> job + " has already finished (" + j.state() + ")";
        };
    }

    private static JobControl.Outcome<ClientReply.ControlResult> refused(Decisions d, long jobId, JobState state,
            String why) {
        return new JobControl.Outcome<>(d, new ClientReply.ControlResult(jobId, false, state, why));
    }

    private JobRecord suspended(JobRecord j, Instant now, Decisions d) {
        JobRecord s = j.suspended(now);
        return changed(j, s, now, d, NodeMessages.suspend(s));
    }

    private JobRecord resumed(JobRecord j, Instant now, Decisions d) {
        JobRecord r = j.resumed(now);
        return changed(j, r, now, d, NodeMessages.resume(r));
    }

    /** Stores the change, then tells the nodes. */
    private JobRecord changed(JobRecord before, JobRecord after, Instant now, Decisions d, List<Outgoing> nodes) {
        jobs.put(after);
        d.change(new JobChange(after, before.state(), now, null));
        nodes.forEach(d::send);
        return after;
    }
}
