package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.ControlRequestValidator;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.NodeHostName;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.PrintableText;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * scontrol update NodeName=N State=DRAIN|RESUME: an administrator takes a node out of service and puts it back.
 * The drain is part of the node's record, so it is stored with the node and outlasts a restart of the head and
 * the node's own going DOWN and coming back. A request that cannot be carried out changes nothing and says why.
 * <p>
 * A host name that several records share (a machine that came back under a new node id leaves its old record DOWN
 * under the name) drains or resumes all of them: the operator means the machine, as Slurm keys drains by name,
 * and a DOWN record left drained would pass its drain on again should its name be taken over once more.
 */
final class NodeDrains {
    static final int MAX_REASON = ControlRequestValidator.MAX_DRAIN_REASON;
    /** A node id: a host name, '-' and 8 hex digits (protocol.md 3.4). */
    static final int MAX_NODE = NodeHostName.MAX_LENGTH + 9;
    /** How much of a refused over-long node is echoed in the answer. */
    private static final int ECHOED = 64;
    private final Clock clock;
    private final NodeLiveness nodes;

    NodeDrains(Clock clock, NodeLiveness nodes) {
        this.clock = clock;
        this.nodes = nodes;
    }

    /** Draining a drained node replaces its reason, as scontrol does. */
    JobControl.Outcome<ClientReply.NodeResult> drain(ControlRequest.DrainNode r) {
        String bad = problem(r.node(), r.user());
        if (bad != null) {
            return refused(r.node(), null, bad);
        }
        String unfit = ControlRequestValidator.drainReasonProblem(r.reason());
        if (unfit != null) {
            return refused(r.node(), null, unfit);
        }
        String reason = r.reason().strip();
        Named n = named(r.node(), r.user());
        if (n.problem() != null) {
            return n.problem();
        }
        NodeRecord.Drain drain = new NodeRecord.Drain(reason, r.user() == null ? "unknown" : r.user(),
                clock.instant());
        return changed(r.node(), n.records(), record -> record.withDrain(drain));
    }

    JobControl.Outcome<ClientReply.NodeResult> resume(ControlRequest.ResumeNode r) {
        Named n = named(r.node(), r.user());
        if (n.problem() != null) {
            return n.problem();
        }
        if (n.records().stream().allMatch(record -> record.drain() == null)) {
            return refused(r.node(), n.records().get(0).id(), "node " + r.node() + " is not drained");
        }
        return changed(r.node(), n.records(), record -> record.withDrain(null));
    }

    /** The records a request names (every one of a shared host name), or why it names none. */
    private record Named(List<NodeRecord> records, JobControl.Outcome<ClientReply.NodeResult> problem) {
    }

    private Named named(String node, String user) {
        String problem = problem(node, user);
        if (problem != null) {
            return new Named(List.of(), refused(node, null, problem));
        }
        List<NodeRecord> found = nodes.named(node);
        return new Named(found, found.isEmpty() ? unknown(node) : null);
    }

    /** The answer for a name no node has, which echoes the name as sent, masked ({@link #echoed}). */
    static JobControl.Outcome<ClientReply.NodeResult> unknown(String node) {
        String shown = echoed(node);
        return new JobControl.Outcome<>(new Decisions(), new ClientReply.NodeResult(shown, false, null, null,
                "node " + shown + " is not a known node", true));
    }

    /**
     * What is wrong with the node or user of a node request, or null. The user is printed by sinfo -R and scontrol
     * show node, so it takes a job's user-name rule: one line, bounded.
     */
    static String problem(String node, String user) {
        if (node == null || node.isBlank()) {
            return "node: a node id or host name is required";
        }
        if (node.length() > MAX_NODE) {
            return "node: is " + node.length() + " characters long; a host name has at most "
                    + NodeHostName.MAX_LENGTH + " and a node id at most " + MAX_NODE;
        }
        if (user != null && !JobSpecValidator.isUserName(user)) {
            return "user " + JobSpecValidator.USER_RULE;
        }
        return null;
    }

    /** The pass after it relabels the jobs the change holds back or lets go, and may start some. */
    private JobControl.Outcome<ClientReply.NodeResult> changed(String name, List<NodeRecord> named,
            Function<NodeRecord, NodeRecord> change) {
        Decisions d = new Decisions();
        List<NodeRecord> after = named.stream().map(change).toList();
        for (NodeRecord record : after) {
            nodes.replace(record);
            d.node(record);
        }
        d.freeRoom();
        return new JobControl.Outcome<>(d, new ClientReply.NodeResult(name, true,
                after.stream().map(NodeRecord::id).collect(Collectors.joining(",")), after.get(0).drain(), null,
                false));
    }

    static JobControl.Outcome<ClientReply.NodeResult> refused(String name, String nodeId, String why) {
        return new JobControl.Outcome<>(new Decisions(), new ClientReply.NodeResult(echoed(name), false, nodeId, null,
                why, false));
    }

    /**
     * The node as the answer names it: an over-long one cut short, so that a refusal is never the larger, and
     * masked (PrintableText), as scontrol and the REST API print it to the operator's terminal.
     */
    private static String echoed(String node) {
        return node == null ? null
                : PrintableText.masked(node.length() <= MAX_NODE ? node : node.substring(0, ECHOED) + "...");
    }
}
