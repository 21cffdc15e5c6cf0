package dev.cadre.node;

import dev.cadre.node.core.GpuEnvironment;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts an attempt's wrapper ({@link JobStarter}) on what it is given here, its CPUs ({@link BoundCpus}) and its
 * GPUs ({@link BoundGpus}, told in its environment), which {@link AttemptShares} keeps, and lists it as running once
 * started, for {@link JobSupervisor}; one that cannot start is reported failed. An attempt a restarted runner adopts
 * gets back what it was given.
 */
final class AttemptStart {
    /** A started attempt, listed as running, and how its wrapper started. */
    record Begun(RunningAttempt attempt, JobStarter.Started wrapper) {
    }

    private final JobStarter starter;
    private final Map<String, RunningAttempt> running;
    private final UnstartedAttempts unstarted;
    private final AttemptShares shares;

    AttemptStart(JobStarter starter, Map<String, RunningAttempt> running, UnstartedAttempts unstarted,
            BoundCpus cpus) {
        this.starter = starter;
        this.running = running;
        this.unstarted = unstarted;
        this.shares = new AttemptShares(cpus, running);
    }

    /** Empty when it could not start, which was reported. */
    Optional<Begun> begin(NodeCommand.PlaceJob place, LaunchPreparation.Ready ready) throws Exception {
        AttemptDirectory dir = ready.dir();
        Path cgroup = ready.cgroup();
        try {
            AttemptShares.Share given = shares.take(place);
            // The plan was made for this start alone: its environment takes what the choice tells the job.
            GpuEnvironment.apply(ready.plan().environment(), shares.nodeGpus(), given.gpus(),
                    GpuEnvironment.Scope.JOB);
            JobStarter.Started started;
            try {
                dir.recordGpus(given.gpus());
                started = starter.start(dir, ready.plan(), cgroup, given.cpus());
            } catch (IOException e) {
                if (cgroup != null) {
                    // A wrapper a lost launcher forked late fails its claim, and with it joins nothing.
                    AttemptCgroups.removeIfEmpty(cgroup);
                }
                unstarted.reportFailed(dir, place, "cannot start the job: " + e.getMessage());
                return Optional.empty();
            }
            // Identified now, while the launcher's answer is fresh: once the wrapper ends its pid may be anyone's.
            RunningAttempt r = new RunningAttempt(place.jobId(), place.attempt(), place.jobKey(),
                    JobProcesses.Leader.identify(started.pid()), dir, cgroup);
            r.cpus = given.cpus();
            r.gpus = given.gpus();
            running.put(r.key(), r);
            return Optional.of(new Begun(r, started));
        } finally {
            shares.started(place);
        }
    }

    /** An adopted attempt, whose wrapper is {@code pid}, holds what it was given. */
    void adopted(RunningAttempt r, long pid, NodeCommand.PlaceJob place) {
        r.cpus = shares.cpus().adopted(pid, place);
        r.gpus = shares.gpus().adopted(r.dir);
    }

    /** What runner-running says of the attempt's GPUs: null on a node without GPUs, which says nothing of them. */
    List<Integer> gpusSaid(RunningAttempt r) {
        return shares.nodeGpus().count() == 0 ? null : r.gpus;
    }

    /** What each of the node's attempts holds, which its remote commands are given too. */
    AttemptShares shares() {
        return shares;
    }
}
