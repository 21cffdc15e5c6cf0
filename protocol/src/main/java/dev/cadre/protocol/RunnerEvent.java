package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.List;

/** What node-runners send to {@link Destinations#RUNNER_EVENTS}. */
public sealed interface RunnerEvent extends Message {
    String nodeId();

    Instant time();

    /** The attempt's processes started. */
    record RunnerRunning(long jobId, int attempt, String nodeId, Instant time) implements RunnerEvent {
    }

    /**
     * The attempt's processes are all gone.
     *
     * @param signal the signal that ended the script, 0 when it exited by itself
     * @param killedFor set when the runner killed it: the kill-job's reason, or TIMEOUT at the time limit
     * @param error what the node knows of why it failed beyond the exit code (an MPI daemon that could not be
     *        started on another host); null when nothing
     */
    record RunnerFinished(long jobId, int attempt, String nodeId, int exitCode, int signal, JobState killedFor,
            Instant time, String error) implements RunnerEvent {
        @JsonCreator
        public RunnerFinished {
        }

        public RunnerFinished(long jobId, int attempt, String nodeId, int exitCode, int signal, JobState killedFor,
                Instant time) {
            this(jobId, attempt, nodeId, exitCode, signal, killedFor, time, null);
        }
    }

    /** The attempt could not run, or was lost: the error says why. */
    record RunnerFailed(long jobId, int attempt, String nodeId, String error, Instant time) implements RunnerEvent {
    }

    /**
     * Registration and liveness in one: resources plus the attempts the node is running.
     */
    record NodeHeartbeat(String nodeId, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
            List<RunningAttempt> running, Instant time) implements RunnerEvent {
        public NodeHeartbeat {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            running = running == null ? List.of() : List.copyOf(running);
        }
    }

    record RunningAttempt(long jobId, int attempt) {
    }
}
