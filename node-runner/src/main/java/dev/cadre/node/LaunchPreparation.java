package dev.cadre.node;

import dev.cadre.node.core.Hostfile;
import dev.cadre.node.core.LaunchPlan;
import dev.cadre.node.core.LaunchPlanner;
import dev.cadre.node.core.RemoteExecSetup;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * What an attempt needs before its wrapper starts ({@link JobSupervisor#launch}): its directory, its hostfile, its
 * launch plan, checked against what this node can run and where attempts may not write, and its cgroup. An attempt
 * that cannot have them ends here, before anything of it ran.
 */
final class LaunchPreparation {
    /** How the preparation of an attempt went. */
    sealed interface Prepared permits Ready, Known, Refused {
    }

    /** @param cgroup the attempt's cgroup; null where the node tracks jobs by session */
    record Ready(AttemptDirectory dir, LaunchPlan plan, Path cgroup) implements Prepared {
    }

    /** The attempt is already known here: its place-job is a repeat. */
    record Known() implements Prepared {
    }

    /** The attempt cannot start: how it ended, and its directory to remove (null when there is none). */
    record Refused(AttemptDirectory dir, RunnerEvent outcome) implements Prepared {
    }

    private final Path jobsDir;
    private final String nodeId;
    private final String clusterName;
    private final RemoteExec remoteExec;
    private final ExecRelay relay;
    private final AttemptCgroups cgroups;
    /** Where attempts may not write, whatever links their paths hold (protocol.md 5.3). */
    private final OutputDestinations destinations;
    private final Clock clock;

    /**
     * @param remoteExec null when jobs get no hostfile or rsh agent (a node without the cadre launcher)
     * @param relay this node's exec relay, for its socket; null when it has none
     * @param cgroups the node's cgroups, each attempt's processes in one; null to track them by session
     */
    LaunchPreparation(Path jobsDir, String nodeId, String clusterName, RemoteExec remoteExec, ExecRelay relay,
            AttemptCgroups cgroups, OutputDestinations destinations, Clock clock) {
        this.jobsDir = jobsDir;
        this.nodeId = nodeId;
        this.clusterName = clusterName;
        this.remoteExec = remoteExec;
        this.relay = relay;
        this.cgroups = cgroups;
        this.destinations = destinations;
        this.clock = clock;
    }

    Prepared prepare(NodeCommand.PlaceJob place) {
        Optional<AttemptDirectory> created;
        try {
            created = AttemptDirectory.create(jobsDir, place);
        } catch (IOException e) {
            // Nothing of it is left to find, so only a report keeps the job from waiting on this node for ever.
            return failed(null, place, "cannot create the attempt's directory on " + nodeId + ": " + e.getMessage());
        }
        if (created.isEmpty()) {
            return new Known();
        }
        AttemptDirectory dir = created.get();
        RemoteExecSetup setup = null;
        if (remoteExec != null) {
            try {
                Files.writeString(dir.hostfile(), Hostfile.text(place.allocation()));
            } catch (IllegalArgumentException | IOException e) {
                // Reported, not rolled back: a repeated place-job would find the directory and ignore itself.
                return failed(dir, place, "cannot write the hostfile: " + e.getMessage());
            }
            setup = new RemoteExecSetup(dir.hostfile(), remoteExec.rshAgent(), relay == null ? null : relay.socket(),
                    remoteExec.mpi());
        }
        LaunchPlan plan;
        try {
            plan = LaunchPlanner.plan(place, clusterName, setup);
        } catch (IllegalArgumentException e) {
            return failed(dir, place, e.getMessage());
        }
        if (!Files.isDirectory(plan.workDir())) {
            return failed(dir, place, "working directory " + plan.workDir() + " does not exist on " + nodeId);
        }
        Optional<String> refused = destinations.refusal(plan);
        if (refused.isPresent()) {
            return failed(dir, place, refused.get() + " on " + nodeId);
        }
        Path cgroup = null;
        if (cgroups != null) {
            try {
                cgroup = cgroups.createAttempt(place.jobId(), place.attempt());
            } catch (AttemptCgroups.NodeProblem e) {
                // The node's fault, not the job's: reported as a node failure, which requeues the job.
                return new Refused(dir, new RunnerEvent.RunnerFinished(place.jobId(), place.attempt(), nodeId, 0, 0,
                        JobState.NODE_FAIL, clock.instant(), e.getMessage() + " on " + nodeId));
            }
        }
        return new Ready(dir, plan, cgroup);
    }

    private Refused failed(AttemptDirectory dir, NodeCommand.PlaceJob place, String error) {
        return new Refused(dir, failure(place, error));
    }

    /** The runner-failed of an attempt that could not start here. */
    RunnerEvent failure(NodeCommand.PlaceJob place, String error) {
        return new RunnerEvent.RunnerFailed(place.jobId(), place.attempt(), nodeId, error, clock.instant());
    }
}
