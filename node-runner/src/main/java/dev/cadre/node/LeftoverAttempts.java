package dev.cadre.node;

import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts an earlier run of the node-runner left in the jobs directory, found at start: one that never started
 * is started, one whose records are damaged is reported failed, and the others are watched again or reported, as
 * {@link JobSupervisor} does with those it starts. Their wrappers are known by pid alone (the claim); a wrapper that
 * ended while no runner ran may have left its pid to any later process, which is never taken for it.
 */
final class LeftoverAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverAttempts.class);

    /** What the supervisor does with what is found. */
    interface Supervision {
        void launch(NodeCommand.PlaceJob place) throws Exception;

        /** Reports the attempt failed and removes its directory. */
        void reportFailed(AttemptDirectory dir, NodeCommand.PlaceJob place, String error) throws Exception;

        /** Lists the attempt as running and watches its live wrapper, started at {@code wrapper}'s time. */
        void watch(RunningAttempt r, ProcessHandle wrapper, NodeCommand.PlaceJob place);

        /** Lists the attempt as running and reports its end, its wrapper being gone. */
        void ended(RunningAttempt r);
    }

    private final Path jobsDir;
    /** The node's cgroups; null where it tracks jobs by session. */
    private final AttemptCgroups cgroups;
    private final Supervision supervision;

    LeftoverAttempts(Path jobsDir, AttemptCgroups cgroups, Supervision supervision) {
        this.jobsDir = jobsDir;
        this.cgroups = cgroups;
        this.supervision = supervision;
    }

    /**
     * @param adopted told of each adopted attempt's place-job before the attempt is watched, reported or started,
     *     as the node's exec service is told of each place-job that arrives
     */
    void adopt(Consumer<NodeCommand.PlaceJob> adopted) throws IOException {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(jobsDir)) {
            dirs = list.filter(Files::isDirectory).toList();
        }
        // Those never started start once every other is watched again: each chooses its CPUs, which must be free of
        // those the running ones hold, known only once adopted (BoundCpus.adopted).
        List<NodeCommand.PlaceJob> unstarted = new ArrayList<>();
        for (Path p : dirs) {
            try {
                adopt(new AttemptDirectory(p), adopted, unstarted);
            } catch (Exception e) {
                LOG.error("cannot recover attempt directory {}", p, e);
            }
        }
        for (NodeCommand.PlaceJob place : unstarted) {
            try {
                supervision.launch(place);
            } catch (Exception e) {
                LOG.error("job {} attempt {}: cannot start it", place.jobId(), place.attempt(), e);
            }
        }
    }

    private void adopt(AttemptDirectory dir, Consumer<NodeCommand.PlaceJob> adopted,
            List<NodeCommand.PlaceJob> unstarted) throws Exception {
        Optional<NodeCommand.PlaceJob> written = dir.writtenPlace();
        if (written.isEmpty()) {
            // Created, not yet written, when the runner stopped: nothing ran, and the place-job comes again.
            LOG.warn("{}: no readable place-job; removing the half-created attempt", dir.dir());
            dir.delete();
            return;
        }
        NodeCommand.PlaceJob place = written.get();
        adopted.accept(place);
        Optional<long[]> recordedPid;
        long pid;
        try {
            recordedPid = dir.pid();
            if (recordedPid.isEmpty() && dir.claimUnstarted()) {
                // The runner stopped before the wrapper ran; no late wrapper can run it now either.
                LOG.info("job {} attempt {}: never started; starting it once the others are adopted", place.jobId(),
                        place.attempt());
                dir.delete();
                unstarted.add(place);
                return;
            }
            pid = recordedPid.isPresent() ? recordedPid.get()[0] : dir.claimedPid();
        } catch (AttemptDirectory.DamagedRecord e) {
            // Which process is the job's is not known; kept, the attempt would be stuck here for ever.
            supervision.reportFailed(dir, place, "the node-runner restarted and cannot find the job: "
                    + e.getMessage());
            return;
        }
        Path group = cgroups == null ? null : cgroups.attempt(place.jobId(), place.attempt());
        // An attempt started before the node tracked by cgroup has none: its session is what there is.
        Path cgroup = group != null && Files.isDirectory(group) ? group : null;
        // Its start time read on both sides of the check, so that it is the start time of the process checked.
        OptionalLong before = ProcessGroups.startTicks(pid);
        Optional<ProcessHandle> live = ProcessHandle.of(pid).filter(h -> dir.isWrapper(h, recordedPid)
                && before.isPresent() && ProcessGroups.startTicks(pid).equals(before));
        if (live.isPresent()) {
            LOG.info("job {} attempt {}: still running; watching it again", place.jobId(), place.attempt());
            supervision.watch(new RunningAttempt(place.jobId(), place.attempt(), place.jobKey(),
                    new JobProcesses.Leader(pid, before.getAsLong()), dir, cgroup, true), live.get(), place);
        } else {
            // Ended while no runner ran: its pid is no longer the job's. A session keeps it as its id, unless a later
            // process holds it, which it could only once the session was empty.
            JobProcesses.Leader ended = cgroup == null ? new JobProcesses.Leader(pid, -1) : JobProcesses.Leader.NONE;
            RunningAttempt r = new RunningAttempt(place.jobId(), place.attempt(), place.jobKey(), ended, dir, cgroup,
                    true);
            r.cpusKnown = false;
            supervision.ended(r);
        }
    }
}
