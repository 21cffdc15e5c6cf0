package dev.cadre.node;

import dev.cadre.node.core.WrapperStatus;
import dev.cadre.protocol.CpuIdList;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ResourceUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * An attempt {@link JobSupervisor} watches: its wrapper's pid, which is its session and process group, where its
 * processes are (that session, or its cgroup), and how it is being stopped.
 */
final class RunningAttempt {
    final long jobId;
    final int attempt;
    /** Its place-job's job key, recorded with its outcome; null when it had none. */
    final String jobKey;
    /** The wrapper by pid and start time: once it has ended, its pid may be another process's. */
    final JobProcesses.Leader wrapper;
    final AttemptDirectory dir;
    final JobProcesses processes;
    /** Why it is being stopped; set before its SIGTERM is sent, which may yet fail. */
    volatile JobState killedFor;
    /** What its end reports as the error when the node killed it for a reason of its own (its memory); else null. */
    volatile String killError;
    /** Its memory checks and samples ({@link MemoryWatch}); null until they start. */
    volatile Future<?> memoryWatch;
    /**
     * The largest virtual memory size its memory checks sampled, its processes' VmSize summed; null until one found
     * a process of it. Written by the memory check thread alone.
     */
    volatile Long maxVmSizeBytes;
    /** Whether its SIGTERM went out; until then a stop may be tried again. */
    volatile boolean termSent;
    volatile int lastSignal;
    volatile Future<?> timeLimit;
    /** The spec whose time limit and --signal warning are armed, with the last limit a set-time-limit gave. */
    volatile JobSpec limitSpec;
    /** When the wrapper started, from which the time limit runs; null until the limit is armed. */
    volatile Instant started;
    /** Counts the limit's armings: a warning armed before the last one is not sent. */
    volatile int limitArmings;
    /** Whether the --signal warning went out: a new limit does not send it again. */
    volatile boolean warningSent;
    /** Stopped by scontrol suspend ({@link AttemptSuspension}): its time limit is not armed. */
    volatile boolean suspended;
    /** Set once the wrapper is known to have ended: nothing is signalled through its pid from then on. */
    volatile boolean wrapperEnded;
    /** What its cgroup counted, read just before the cgroup was removed; null until then, and without a cgroup. */
    volatile ResourceUsage cgroupUsage;
    /** Until when its end waits for its agents' exits ({@link AttemptCompletion}, nanoTime); null until it first does. */
    volatile Long agentExitsDue;
    /** What its remote commands used, as their exits told this node's relay. */
    final RemoteCommandUsage remoteUsage;
    /** The CPUs its wrapper bound it to ({@link BoundCpus}); empty when it runs unbound. */
    volatile java.util.SortedSet<Integer> cpus = java.util.Collections.emptySortedSet();
    /** The indexes of the GPUs it was given here ({@link BoundGpus}), lowest first; empty for none. */
    volatile java.util.List<Integer> gpus = java.util.List.of();
    /**
     * False for an adopted attempt whose wrapper had ended while no runner ran: its CPUs and GPUs are not known (it
     * holds none now), and a heartbeat in the moment before its end is reported says nothing of them.
     */
    volatile boolean cpusKnown = true;

    /** An attempt whose wrapper's start time is unknown, tracked by session. */
    RunningAttempt(long jobId, int attempt, long pgid, AttemptDirectory dir) {
        this(jobId, attempt, null, new JobProcesses.Leader(pgid, -1), dir, null);
    }

    /**
     * @param jobKey its place-job's job key, null when it had none
     * @param cgroup the attempt's cgroup; null to track it by the wrapper's session
     */
    RunningAttempt(long jobId, int attempt, String jobKey, JobProcesses.Leader wrapper, AttemptDirectory dir,
            Path cgroup) {
        this(jobId, attempt, jobKey, wrapper, dir, cgroup, false);
    }

    /** @param adopted whether an earlier runner started it, whose relay may have counted its commands' usage */
    RunningAttempt(long jobId, int attempt, String jobKey, JobProcesses.Leader wrapper, AttemptDirectory dir,
            Path cgroup, boolean adopted) {
        this.jobId = jobId;
        this.attempt = attempt;
        this.jobKey = jobKey;
        this.wrapper = wrapper;
        this.dir = dir;
        this.processes = JobProcesses.of(cgroup, wrapper);
        this.remoteUsage = new RemoteCommandUsage(dir.dir(), adopted);
    }

    /** Its CPUs as runner events say them, in Linux's list format; empty when it runs unbound. */
    String cpuIds() {
        return CpuIdList.format(cpus);
    }

    /** How {@link JobSupervisor} keys its running attempts. */
    static String key(long jobId, int attempt) {
        return jobId + "-" + attempt;
    }

    String key() {
        return key(jobId, attempt);
    }

    /**
     * Kills what the job left once its wrapper has ended; false when something is left all the same (it outlived
     * SIGKILL), which for a cgroup means it stays.
     *
     * @param recorded the wrapper's record, which may say that nothing of the session was left
     */
    boolean clearLeftovers(Optional<WrapperStatus> recorded, Duration grace) {
        wrapperEnded = true;
        JobProcesses left = processes.leaderEnded();
        if (left instanceof JobProcesses.Cgroup c) {
            // The cgroup says whether anything is left, whatever left the session: an rmdir fails while anything does.
            return removeCounted(c) || c.terminate(grace) && removeCounted(c);
        }
        // A wrapper that saw the job's session empty spares this search of /proc, the costliest part of an end.
        if (recorded.isEmpty() || !recorded.get().jobGone()) {
            left.terminate(grace);
        }
        return true;
    }

    /**
     * Removes the cgroup if it is empty, its counters read first: they go with it. A process still in it fails the
     * rmdir, and the counters are read again at the next try; one that ends between the read and the rmdir takes
     * only what it used in that instant out of the figures.
     */
    private boolean removeCounted(JobProcesses.Cgroup c) {
        ResourceUsage counted = c.usage();
        if (!c.removeIfGone()) {
            return false;
        }
        if (counted != null) {
            cgroupUsage = counted;
        }
        return true;
    }

    /**
     * How the script ended, once its wrapper has: the wrapper's record; else, for a killed attempt, the last signal
     * sent; else what the wrapper's own exit value says. Empty when nothing tells. Only the wrapper's record can
     * say that nothing of the job was left.
     *
     * @param recorded the wrapper's record, read once the wrapper has ended
     * @param wrapperExit the wrapper's exit value (128 + N for signal N), null when unknown
     */
    Optional<WrapperStatus> endStatus(Optional<WrapperStatus> recorded, Integer wrapperExit) {
        if (recorded.isPresent()) {
            return recorded;
        } else if (killedFor != null) {
            return Optional.of(new WrapperStatus(0, lastSignal, false));
        } else if (wrapperExit != null) {
            return Optional.of(wrapperExit > 128 ? new WrapperStatus(0, wrapperExit - 128, false)
                    : new WrapperStatus(wrapperExit, 0, false));
        }
        return Optional.empty();
    }
}
