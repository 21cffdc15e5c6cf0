package dev.cadre.node.core;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.NodeCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Whether a node runs an exec request: only for an attempt it holds, with that attempt's token. Pure.
 *
 * <p>A request may arrive before the node has taken the attempt's place-job: the coordinator's mpirun reaches the
 * other nodes as soon as the coordinator starts the script, while each node consumes its own command queue. Such a
 * request waits for the place-job (bounded by the caller) instead of being refused at once; a request for an
 * attempt the node has already seen end is refused at once.
 */
public final class ExecAdmission {
    public static final int MAX_COMMAND_CHARS = 1 << 20;
    /** The most tasks of a step on one node, and CPUs of a task, far above any machine's CPUs. */
    public static final int MAX_TASKS = 100_000;
    /** How a step's tasks may be laid out over a node's sockets (srun -m's second part). */
    public static final List<String> DISTRIBUTIONS = List.of("block", "cyclic", "fcyclic");

    private ExecAdmission() {
    }

    /** What to do with a request now. */
    public sealed interface Verdict {
    }

    /** Run it under the held place-job. */
    public record Run(NodeCommand.PlaceJob place) implements Verdict {
    }

    /** Hold it until the attempt's place-job arrives, or until the caller's wait runs out. */
    public record Wait() implements Verdict {
    }

    /** Answer it with this reason and exit status 255. */
    public record Refuse(String reason) implements Verdict {
    }

    /**
     * @param held the place-job this node received for the request's job and attempt, or null if none
     * @param ended whether this node has seen that attempt end or be killed
     */
    public static Verdict decide(ExecMessage.ExecRequest request, NodeCommand.PlaceJob held, boolean ended,
            String nodeId) {
        String malformed = malformed(request);
        if (malformed != null) {
            return new Refuse(malformed);
        }
        if (held == null) {
            return ended ? new Refuse(notRunning(request.jobId(), request.attempt(), nodeId)) : new Wait();
        }
        String refusal = refusal(request.jobId(), request.attempt(), request.token(), held, nodeId);
        return refusal == null ? new Run(held) : new Refuse(refusal);
    }

    /**
     * Why a token does not admit its bearer to an attempt, or null when it does: the attempt is held here, this node
     * is part of its allocation, and the token is the attempt's own (compared in constant time).
     *
     * @param held the place-job this node received for the attempt, or null if none
     */
    public static String refusal(long jobId, int attempt, String token, NodeCommand.PlaceJob held, String nodeId) {
        if (held == null || !held.allocation().includes(nodeId)) {
            return notRunning(jobId, attempt, nodeId);
        }
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                held.execToken().getBytes(StandardCharsets.UTF_8))) {
            return "wrong exec token for job " + jobId + " attempt " + attempt;
        }
        return null;
    }

    /** The verdict once the wait for a place-job has run out. */
    public static Refuse notHeldInTime(ExecMessage.ExecRequest request, String nodeId) {
        return new Refuse(notRunning(request.jobId(), request.attempt(), nodeId));
    }

    private static String malformed(ExecMessage.ExecRequest request) {
        if (request.requestId() == null || request.requestId().isBlank() || request.requestId().length() > 256) {
            return "the request has no usable requestId";
        }
        if (request.command() == null || request.command().isBlank()) {
            return "the request has no command";
        }
        if (request.command().length() > MAX_COMMAND_CHARS) {
            return "the command is " + request.command().length() + " characters; the limit is " + MAX_COMMAND_CHARS;
        }
        if (request.command().indexOf('\0') >= 0) {
            return "the command contains a NUL character";
        }
        return request.task() == null ? null : taskProblem(request.task());
    }

    /** What is wrong with a step's task, naming the field, or null when nothing is. */
    static String taskProblem(ExecMessage.StepTask t) {
        if (t.tasksOnNode() == null || t.tasksOnNode() < 1 || t.tasksOnNode() > MAX_TASKS) {
            return "the request's task.tasksOnNode is " + t.tasksOnNode() + "; it is 1-" + MAX_TASKS;
        }
        if (t.localId() == null || t.localId() < 0 || t.localId() >= t.tasksOnNode()) {
            return "the request's task.localId is " + t.localId() + "; it is 0-" + (t.tasksOnNode() - 1)
                    + ", below task.tasksOnNode";
        }
        if (t.globalId() == null || t.globalId() < 0) {
            return "the request's task.globalId is " + t.globalId() + "; it is 0 or more";
        }
        if (t.cpusPerTask() != null && (t.cpusPerTask() < 1 || t.cpusPerTask() > MAX_TASKS)) {
            return "the request's task.cpusPerTask is " + t.cpusPerTask() + "; it is 1-" + MAX_TASKS;
        }
        if (t.distribution() != null && !DISTRIBUTIONS.contains(t.distribution())) {
            return "the request's task.distribution is '" + t.distribution() + "'; it is one of " + DISTRIBUTIONS;
        }
        try {
            if (t.cpuBind() != null) {
                CpuBind.parse(t.cpuBind());
            }
        } catch (IllegalArgumentException e) {
            return "the request's task.cpuBind is malformed: " + e.getMessage();
        }
        try {
            if (t.gpuBind() != null) {
                GpuBind.parse(t.gpuBind());
            }
        } catch (IllegalArgumentException e) {
            return "the request's task.gpuBind is malformed: " + e.getMessage();
        }
        return null;
    }

    private static String notRunning(long jobId, int attempt, String nodeId) {
        return "job " + jobId + " attempt " + attempt + " is not running on node " + nodeId;
    }
}
