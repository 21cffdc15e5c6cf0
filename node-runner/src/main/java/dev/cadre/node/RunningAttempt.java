package dev.cadre.node;

import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * An attempt {@link JobSupervisor} watches: its wrapper's pid, which is its session and process group, where its
 * processes are (that session, or its cgroup), and how it is being stopped.
 */
final class RunningAttempt {
    final long jobId;
    final int attempt;
    final long pgid;
    final AttemptDirectory dir;
    final JobProcesses processes;
    /** Why it is being stopped; set before its SIGTERM is sent, which may yet fail. */
    volatile JobState killedFor;
    /** Whether its SIGTERM went out; until then a stop may be tried again. */
    volatile boolean termSent;
    volatile int lastSignal;
    volatile Future<?> timeLimit;

    RunningAttempt(long jobId, int attempt, long pgid, AttemptDirectory dir) {
        this(jobId, attempt, pgid, dir, JobProcesses.of(null, pgid));
    }

    RunningAttempt(long jobId, int attempt, long pgid, AttemptDirectory dir, JobProcesses processes) {
        this.jobId = jobId;
        this.attempt = attempt;
        this.pgid = pgid;
        this.dir = dir;
        this.processes = processes;
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
    boolean clearLeftovers(Optional<AttemptDirectory.Status> recorded, Duration grace) {
        if (processes instanceof JobProcesses.Cgroup) {
            // The cgroup says whether anything is left, whatever left the session: an rmdir fails while anything does.
            return processes.removeIfGone() || processes.terminate(grace) && processes.removeIfGone();
        }
        // A wrapper that saw the job's session empty spares this search of /proc, the costliest part of an end.
        if (recorded.isEmpty() || !recorded.get().jobGone()) {
            processes.terminate(grace);
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
    Optional<AttemptDirectory.Status> endStatus(Optional<AttemptDirectory.Status> recorded, Integer wrapperExit) {
        if (recorded.isPresent()) {
            return recorded;
        } else if (killedFor != null) {
            return Optional.of(new AttemptDirectory.Status(0, lastSignal, false));
        } else if (wrapperExit != null) {
            return Optional.of(wrapperExit > 128 ? new AttemptDirectory.Status(0, wrapperExit - 128, false)
                    : new AttemptDirectory.Status(wrapperExit, 0, false));
        }
        return Optional.empty();
    }
}
