package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What node-runners send to {@link Destinations#RUNNER_EVENTS}. */
public sealed interface RunnerEvent extends Message {
    String nodeId();

    Instant time();

    /**
     * Why the head must not act on this event, or null: a node-runner never sends one so, and what it would change (a
     * node of -1 cores, a hold for attempt -1 of job -1) is no state at all. The intake drops such an event.
     */
    default String problem() {
        if (nodeId() == null || nodeId().isBlank()) {
            return "nodeId is required";
        }
        return time() == null ? "time is required" : null;
    }

    /**
     * The attempt's processes started.
     *
     * @param cpus the CPU ids its script is bound to on this node, in Linux's list format ({@link CpuIdList}); empty
     *        when it runs unbound; null from a node-runner that does not say (one from before CPU binding was told)
     * @param gpus the indexes of the GPUs it was given on this node ({@link GpuIndexes}), lowest first; empty when it
     *        has none there; null from a node-runner that does not say (one from before GPUs were bound)
     */
    record RunnerRunning(long jobId, int attempt, String nodeId, Instant time, String cpus, List<Integer> gpus)
            implements RunnerEvent {
        @JsonCreator
        public RunnerRunning {
            gpus = gpus == null ? null : Collections.unmodifiableList(new ArrayList<>(gpus));
        }

        /** A start that says nothing of its GPUs. */
        public RunnerRunning(long jobId, int attempt, String nodeId, Instant time, String cpus) {
            this(jobId, attempt, nodeId, time, cpus, null);
        }

        /** A start that says nothing of its CPUs. */
        public RunnerRunning(long jobId, int attempt, String nodeId, Instant time) {
            this(jobId, attempt, nodeId, time, null, null);
        }

        @Override
        public String problem() {
            String missing = RunnerEvent.super.problem();
            if (missing != null) {
                return missing;
            }
            String wrong = cpus == null ? null : CpuIdList.problem(cpus);
            if (wrong != null) {
                return "cpus: " + wrong;
            }
            return gpus == null ? null : GpuIndexes.problem("gpus", gpus);
        }
    }

    /**
     * The attempt's processes are all gone.
     *
     * @param signal the signal that ended the script, 0 when it exited by itself
     * @param killedFor set when the runner killed it: the kill-job's reason, TIMEOUT at the time limit, or
     *        OUT_OF_MEMORY when its processes used more memory than the job asked for (the error then names the figures)
     * @param error what the node knows of why it failed beyond the exit code (an MPI daemon that could not be
     *        started on another host); null when nothing
     * @param usage what the attempt's processes used on this node, or null when the node could not tell (a node-runner
     *        from before usage was reported, an attempt whose processes ended while the node-runner was down)
     */
    record RunnerFinished(long jobId, int attempt, String nodeId, int exitCode, int signal, JobState killedFor,
            Instant time, String error, ResourceUsage usage) implements RunnerEvent {
        @JsonCreator
        public RunnerFinished {
        }

        public RunnerFinished(long jobId, int attempt, String nodeId, int exitCode, int signal, JobState killedFor,
                Instant time, String error) {
            this(jobId, attempt, nodeId, exitCode, signal, killedFor, time, error, null);
        }

        public RunnerFinished(long jobId, int attempt, String nodeId, int exitCode, int signal, JobState killedFor,
                Instant time) {
            this(jobId, attempt, nodeId, exitCode, signal, killedFor, time, null, null);
        }
    }

    /** The attempt could not run, or was lost: the error says why. */
    record RunnerFailed(long jobId, int attempt, String nodeId, String error, Instant time) implements RunnerEvent {
    }

    /**
     * Nothing of an attempt the node was told to kill runs there any more: the answer to a kill-job for an attempt
     * the node does not coordinate, or no longer runs (the coordinator of a running one answers runner-finished).
     * Until it comes, the scheduler keeps the attempt's slots on that node taken.
     */
    record RunnerReleased(long jobId, int attempt, String nodeId, Instant time) implements RunnerEvent {
    }

    /**
     * Registration and liveness in one: resources plus the attempts the node is running.
     *
     * @param cpus the CPUs each listed attempt holds here, where the node knows them (the script's on the node that
     *        runs it, those of its remote commands on another node of its allocation): what a restarted runner
     *        adopted, and what the other nodes of an allocation took, reach the head so; empty from a node-runner
     *        that does not say
     * @param gpuTypes the indexes of the node's GPUs of each type ({@link GpuTypes}), all {@code gpus} of them; null
     *        for a node whose GPUs have no type, and from a node-runner from before types
     */
    record NodeHeartbeat(String nodeId, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
            List<RunningAttempt> running, Instant time, List<HeldCpus> cpus, Map<String, List<Integer>> gpuTypes)
            implements RunnerEvent {
        @JsonCreator
        public NodeHeartbeat {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            running = running == null ? List.of() : List.copyOf(running);
            cpus = cpus == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(cpus));
            gpuTypes = gpuTypes == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(gpuTypes));
        }

        /** A heartbeat of a node whose GPUs have no type. */
        public NodeHeartbeat(String nodeId, String hostname, List<String> addresses, int cores, long memoryMb,
                int gpus, List<RunningAttempt> running, Instant time, List<HeldCpus> cpus) {
            this(nodeId, hostname, addresses, cores, memoryMb, gpus, running, time, cpus, null);
        }

        /** A heartbeat that says nothing of its attempts' CPUs. */
        public NodeHeartbeat(String nodeId, String hostname, List<String> addresses, int cores, long memoryMb,
                int gpus, List<RunningAttempt> running, Instant time) {
            this(nodeId, hostname, addresses, cores, memoryMb, gpus, running, time, null);
        }

        @Override
        public String problem() {
            String missing = RunnerEvent.super.problem();
            if (missing != null) {
                return missing;
            }
            if (hostname == null || hostname.isBlank()) {
                return "hostname is required";
            }
            if (cores < 0 || memoryMb < 0 || gpus < 0) {
                return "cores, memoryMb and gpus must not be negative; they are " + cores + ", " + memoryMb + " and "
                        + gpus;
            }
            for (int i = 0; i < running.size(); i++) {
                RunningAttempt r = running.get(i);
                if (r == null || r.jobId() < 1 || r.attempt() < 1) {
                    return "running[" + i + "] is " + r + ", which is no attempt: jobId and attempt start at 1";
                }
            }
            for (int i = 0; i < cpus.size(); i++) {
                HeldCpus c = cpus.get(i);
                if (c == null || c.jobId() < 1 || c.attempt() < 1 || c.cpus() == null) {
                    return "cpus[" + i + "] is " + c + ", which is no attempt's CPUs: jobId and attempt start at 1,"
                            + " and cpus is required";
                }
                String wrong = CpuIdList.problem(c.cpus());
                if (wrong != null) {
                    return "cpus[" + i + "].cpus: " + wrong;
                }
                wrong = c.gpus() == null ? null : GpuIndexes.problem("cpus[" + i + "].gpus", c.gpus());
                if (wrong != null) {
                    return wrong;
                }
            }
            return gpuTypes == null ? null : GpuTypes.problem("gpuTypes", gpuTypes, gpus);
        }
    }

    /**
     * Several events of one node in one message, in the order they happened: a burst of starts and ends costs
     * the broker one message (one journal record, one delivery) instead of one per event.
     *
     * @param time when the batch was sent
     */
    record RunnerEvents(String nodeId, List<RunnerEvent> events, Instant time) implements RunnerEvent {
        /** The most events one message may hold. */
        public static final int MAX_EVENTS = 1_000;

        public RunnerEvents {
            if (nodeId == null) {
                throw new IllegalArgumentException("nodeId is required");
            }
            if (events == null || events.isEmpty()) {
                throw new IllegalArgumentException("events must hold at least one runner event");
            }
            if (events.size() > MAX_EVENTS) {
                throw new IllegalArgumentException("events holds " + events.size() + " runner events; the limit is "
                        + MAX_EVENTS);
            }
            for (int i = 0; i < events.size(); i++) {
                RunnerEvent e = events.get(i);
                if (e == null) {
                    throw new IllegalArgumentException("events[" + i + "] is null");
                }
                if (e instanceof RunnerEvents) {
                    throw new IllegalArgumentException("events[" + i + "] is a runner-events; batches do not nest");
                }
                if (!nodeId.equals(e.nodeId())) {
                    throw new IllegalArgumentException("events[" + i + "] is from node '" + e.nodeId()
                            + "', not from the batch's node '" + nodeId + "'");
                }
            }
            events = Collections.unmodifiableList(new ArrayList<>(events));
        }
    }

    record RunningAttempt(long jobId, int attempt) {
    }

    /**
     * The CPUs and GPUs an attempt holds on the sending node.
     *
     * @param cpus in Linux's list format ({@link CpuIdList}); empty when the attempt runs unbound there
     * @param gpus the indexes of its GPUs there ({@link GpuIndexes}); empty for none; null from a node-runner that
     *        does not say
     */
    record HeldCpus(long jobId, int attempt, String cpus, List<Integer> gpus) {
        @JsonCreator
        public HeldCpus {
            gpus = gpus == null ? null : Collections.unmodifiableList(new ArrayList<>(gpus));
        }

        /** What a node-runner from before GPUs were bound says. */
        public HeldCpus(long jobId, int attempt, String cpus) {
            this(jobId, attempt, cpus, null);
        }
    }
}
