package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.NodeRecord;
import java.time.Clock;
import java.util.List;

/**
 * scontrol update NodeName=N State=DRAIN|RESUME: an administrator takes a node out of service and puts it back.
 * The drain is part of the node's record, so it is stored with the node and outlasts a restart of the head and
 * the node's own going DOWN and coming back. A request that cannot be carried out changes nothing and says why.
 */
final class NodeDrains {
    static final int MAX_REASON = ClientRequest.DrainNode.MAX_REASON;
    private final Clock clock;
    private final NodeLiveness nodes;

    NodeDrains(Clock clock, NodeLiveness nodes) {
        this.clock = clock;
        this.nodes = nodes;
    }

    /** Draining a drained node replaces its reason, as scontrol does. */
    JobControl.Outcome<ClientReply.NodeResult> drain(ClientRequest.DrainNode r) {
        String reason = r.reason() == null ? "" : r.reason().strip();
        if (reason.isEmpty()) {
            return refused(r.node(), null, "a reason is required to drain a node (Reason=...)");
        }
        if (reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            return refused(r.node(), null, "the reason must be one line of at most " + MAX_REASON + " characters");
        }
        Resolved n = resolve(r.node());
        if (n.problem() != null) {
            return n.problem();
        }
        NodeRecord.Drain drain = new NodeRecord.Drain(reason, r.user() == null || r.user().isBlank() ? "unknown"
                : r.user(), clock.instant());
        return changed(r.node(), n.record().withDrain(drain));
    }

    JobControl.Outcome<ClientReply.NodeResult> resume(ClientRequest.ResumeNode r) {
        Resolved n = resolve(r.node());
        if (n.problem() != null) {
            return n.problem();
        }
        if (n.record().drain() == null) {
            return refused(r.node(), n.record().id(), "node " + r.node() + " is not drained");
        }
        return changed(r.node(), n.record().withDrain(null));
    }

    private record Resolved(NodeRecord record, JobControl.Outcome<ClientReply.NodeResult> problem) {
    }

    private Resolved resolve(String name) {
        List<NodeRecord> found = name == null ? List.of() : nodes.named(name);
        if (found.isEmpty()) {
            return new Resolved(null, new JobControl.Outcome<>(new Decisions(), new ClientReply.NodeResult(name,
                    false, null, null, "node " + name + " is not a known node", true)));
        }
        if (found.size() > 1) {
            return new Resolved(null, refused(name, null, "host name " + name + " is shared by nodes "
                    + found.stream().map(NodeRecord::id).toList() + "; name one by its node id"));
        }
        return new Resolved(found.get(0), null);
    }

    /** The pass after it relabels the jobs the change holds back or lets go, and may start some. */
    private JobControl.Outcome<ClientReply.NodeResult> changed(String name, NodeRecord record) {
        nodes.replace(record);
        Decisions d = new Decisions();
        d.node(record);
        d.freeRoom();
        return new JobControl.Outcome<>(d, new ClientReply.NodeResult(name, true, record.id(), record.drain(), null,
                false));
    }

    private static JobControl.Outcome<ClientReply.NodeResult> refused(String name, String nodeId, String why) {
        return new JobControl.Outcome<>(new Decisions(), new ClientReply.NodeResult(name, false, nodeId, null, why,
                false));
    }
}
