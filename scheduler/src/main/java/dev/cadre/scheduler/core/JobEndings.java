package dev.cadre.scheduler.core;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** How attempts end: the job's end state, the attempt's record, and requeues after node failures. */
final class JobEndings {
    private final Clock clock;

    JobEndings(Clock clock) {
        this.clock = clock;
    }

    /** The attempt's processes are gone; the state follows from why they were killed, or from the exit. */
    Decisions finished(JobTable jobs, JobRecord j, RunnerEvent.RunnerFinished f) {
        JobState endAs;
        String reason;
        if (f.killedFor() != null) {
            endAs = f.killedFor();
            reason = endAs == JobState.TIMEOUT ? "TimeLimit" : "CancelledByUser";
        } else if (j.state() == JobState.COMPLETING) {
            // The kill and a natural exit crossed: the user's intent decides.
            endAs = JobState.valueOf(j.reason());
            reason = endAs == JobState.TIMEOUT ? "TimeLimit" : "CancelledByUser";
        } else if (f.exitCode() == 0 && f.signal() == 0) {
            endAs = JobState.COMPLETED;
            reason = null;
        } else {
            endAs = JobState.FAILED;
            reason = f.signal() != 0 ? "Signal" : "NonZeroExitCode";
        }
        return end(jobs, j, endAs, reason, f.exitCode(), f.signal(), endAs == JobState.FAILED ? f.error() : null);
    }

    /** Ends the job for good, closing its current attempt if it has one. */
    Decisions end(JobTable jobs, JobRecord j, JobState endAs, String reason, Integer exit,
            Integer signal, String error) {
        Instant now = clock.instant();
        JobRecord ended = new JobRecord(j.id(), j.submissionKey(), j.spec(), endAs,
                error == null ? reason : reason + ": " + error, j.attempt(), j.allocation(), j.launchConfirmed(),
                exit, signal, j.submitTime(), j.startTime(), now);
        jobs.remove(j.id());
        Decisions d = new Decisions();
        d.change(new JobChange(ended, j.state(), now, closedAttempt(j, endAs, exit, signal, error, now)));
        // The coordinator's script is over; what it started elsewhere (MPI daemons, ranks) must not outlive it.
        tearDown(d, j, false);
        return d;
    }

    /**
     * A node of the allocation failed: NODE_FAIL, or back to PENDING while attempts remain. Either way the
     * attempt is killed on every node, the coordinator included: its mpirun would wait for the lost node.
     */
    Decisions nodeFailed(JobTable jobs, JobRecord j, String why) {
        if (j.state() == JobState.COMPLETING) {
            // The job was being stopped anyway; it ends as the user or the time limit asked.
            return withCoordinatorKilled(end(jobs, j, JobState.valueOf(j.reason()), "NodeFail", null, null, why), j);
        }
        if (j.attempt() >= j.spec().attemptLimit()) {
            return withCoordinatorKilled(end(jobs, j, JobState.NODE_FAIL, "NodeFail", null, null, why), j);
        }
        Instant now = clock.instant();
        Decisions d = new Decisions();
        tearDown(d, j, true);
        JobRecord requeued = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.REQUEUED, "NodeFail: " + why,
                j.attempt(), null, false, null, null, j.submitTime(), null, null);
        d.change(new JobChange(requeued, j.state(), now,
                closedAttempt(j, JobState.NODE_FAIL, null, null, why, now)));
        JobRecord pending = requeued.withState(JobState.PENDING, "Requeued");
        d.change(new JobChange(pending, JobState.REQUEUED, now, null));
        jobs.put(pending);
        return d;
    }

    private static Decisions withCoordinatorKilled(Decisions d, JobRecord j) {
        if (j.allocation() != null) {
            d.send(kill(j, j.allocation().coordinator().nodeId()));
        }
        return d;
    }

    /** Kill-job for the attempt to the allocation's other nodes, and to the coordinator too if asked. */
    private static void tearDown(Decisions d, JobRecord j, boolean coordinatorToo) {
        if (j.allocation() == null) {
            return;
        }
        List<String> nodes = j.allocation().nodeIds();
        for (String node : coordinatorToo ? nodes : nodes.subList(1, nodes.size())) {
            d.send(kill(j, node));
        }
    }

    private static Outgoing kill(JobRecord j, String nodeId) {
        return new Outgoing(Destinations.nodeQueue(nodeId),
                new NodeCommand.KillJob(j.id(), j.attempt(), JobState.NODE_FAIL));
    }

    private static AttemptRecord closedAttempt(JobRecord j, JobState state, Integer exit, Integer signal,
            String error, Instant now) {
        if (j.attempt() == 0 || j.allocation() == null) {
            return null;
        }
        return new AttemptRecord(j.id(), j.attempt(), j.allocation().hostnames(), j.startTime(), now, state, exit,
                signal, error);
    }
}
