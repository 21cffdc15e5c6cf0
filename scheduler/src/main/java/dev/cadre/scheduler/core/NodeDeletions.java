package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.NodeRecord;
import java.util.List;
import java.util.stream.Collectors;

/**
 * scontrol delete NodeName=N: an administrator makes the scheduler forget a node that is DOWN, as Slurm deletes a
 * node that runs no job. Nodes are never forgotten by themselves: a DOWN node may be a machine in repair, and its
 * record keeps the jobs that name it waiting and its drain reason for when it returns. A node that came back under
 * a new id (its state directory moved) leaves such a record under its old id, which only an administrator can tell
 * apart from a machine in repair.
 * <p>
 * A host name deletes every DOWN node of that name and keeps an UP one: what an operator who sees {@code down*} beside
 * {@code idle} for one host means. A request that cannot be carried out whole changes nothing and says why.
 */
final class NodeDeletions {
    private final JobTable jobs;
    private final NodeLiveness nodes;

    NodeDeletions(JobTable jobs, NodeLiveness nodes) {
        this.jobs = jobs;
        this.nodes = nodes;
    }

    JobControl.Outcome<ClientReply.NodeResult> delete(ControlRequest.DeleteNode r) {
        String name = r.node();
        String problem = NodeDrains.problem(name, r.user());
        if (problem != null) {
            return NodeDrains.refused(name, null, problem);
        }
        List<NodeRecord> named = nodes.named(name);
        if (named.isEmpty()) {
            return NodeDrains.unknown(name);
        }
        List<NodeRecord> down = named.stream().filter(n -> n.state() != NodeRecord.NodeState.UP).toList();
        if (down.isEmpty()) {
            NodeRecord up = named.get(0);
            return refused(name, up.id(), "node " + name + " (" + up.id() + ") is UP; only a DOWN node can be"
                    + " deleted: stop its node-runner, and delete the node once it is DOWN (after the head's"
                    + " --node-timeout)");
        }
        for (NodeRecord n : down) {
            List<JobRecord> holding = jobs.active().stream().filter(j -> j.allocation().includes(n.id())).toList();
            if (!holding.isEmpty()) {
                return refused(name, n.id(), "node " + name + " (" + n.id() + ") still holds "
                        + holding.stream().map(j -> "job " + j.id() + " (" + j.state() + ")")
                                .collect(Collectors.joining(", "))
                        + "; delete it once they have ended");
            }
        }
        Decisions d = new Decisions();
        for (NodeRecord n : down) {
            nodes.forget(n.id());
            d.forget(n);
        }
        // The next pass relabels jobs that waited for the node, and judges them on the nodes left.
        d.freeRoom();
        return new JobControl.Outcome<>(d, new ClientReply.NodeResult(name, true,
                down.stream().map(NodeRecord::id).collect(Collectors.joining(",")), null, null, false));
    }

    private static JobControl.Outcome<ClientReply.NodeResult> refused(String name, String nodeId, String why) {
        return new JobControl.Outcome<>(new Decisions(), new ClientReply.NodeResult(name, false, nodeId, null, why,
                false));
    }
}
