package dev.cadre.scheduler.core;

import dev.cadre.protocol.NodeRecord;

/**
 * What a node counts as for the cluster's accounting (sreport's cluster Utilization), and which of its changes make
 * a row of its history: only a change of standing or of cores, so that a heartbeat, which changes neither, writes
 * nothing.
 */
public final class NodeStanding {
    /**
     * UP: its cores available; DOWN: not responding (Slurm's Down); DRAINED: an administrator's drain, which Slurm
     * records as a node event and counts as Down too (a node both is DOWN); REMOVED: deleted, no longer counted.
     */
    public enum Kind { UP, DOWN, DRAINED, REMOVED }

    /**
     * @param reason why it is DOWN (the node's reason) or DRAINED (the drain's); null otherwise
     * @param user who drained it
     */
    public record Mark(Kind kind, int cores, String reason, String user) {
    }

    private NodeStanding() {
    }

    public static Mark of(NodeRecord n) {
        if (n.state() == NodeRecord.NodeState.DOWN) {
            return new Mark(Kind.DOWN, n.cores(), n.reason(), null);
        }
        if (n.drain() != null) {
            return new Mark(Kind.DRAINED, n.cores(), n.drain().reason(), n.drain().user());
        }
        return new Mark(Kind.UP, n.cores(), null, null);
    }

    public static Mark removed(NodeRecord n) {
        return new Mark(Kind.REMOVED, n.cores(), null, null);
    }

    /**
     * Whether next is a new row of a node's history whose last row is last (null when it has none): a removal of a
     * node never recorded, or recorded as removed, is none.
     */
    public static boolean changes(Mark last, Mark next) {
        if (last == null) {
            return next.kind() != Kind.REMOVED;
        }
        return last.kind() != next.kind() || last.cores() != next.cores();
    }
}
