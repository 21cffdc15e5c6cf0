package dev.cadre.node;

import dev.cadre.protocol.JobState;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * An attempt {@link JobSupervisor} watches: its wrapper's pid, which is its session and process group, and how it
 * is being stopped.
 */
final class RunningAttempt {
    final long jobId;
    final int attempt;
    final long pgid;
    final AttemptDirectory dir;
    /** Why it is being stopped; set before its SIGTERM is sent, which may yet fail. */
    volatile JobState killedFor;
    /** Whether its SIGTERM went out; until then a stop may be tried again. */
    volatile boolean termSent;
    volatile int lastSignal;
    volatile Future<?> timeLimit;

    RunningAttempt(long jobId, int attempt, long pgid, AttemptDirectory dir) {
        this.jobId = jobId;
        this.attempt = attempt;
        this.pgid = pgid;
        this.dir = dir;
    }

    /** How {@link JobSupervisor} keys its running attempts. */
    static String key(long jobId, int attempt) {
        return jobId + "-" + attempt;
    }

    String key() {
        return key(jobId, attempt);
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
