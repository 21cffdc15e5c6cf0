package dev.cadre.node.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeHostName;

/** The Open MPI hostfile of an allocation: one {@code host slots=N} line per node, in allocation order. */
public final class Hostfile {
    private Hostfile() {
    }

    /**
     * @throws IllegalArgumentException when a host name is not one {@link NodeHostName} takes (nodes and the
     *         scheduler refuse such names; an older node may still have one): the job should fail with this
     *         reason rather than start on a hostfile that breaks its lines or Open MPI's reading of them
     */
    public static String text(Allocation allocation) {
        StringBuilder out = new StringBuilder();
        for (Allocation.NodeSlots n : allocation.nodes()) {
            NodeHostName.problem(n.hostname()).ifPresent(problem -> {
                throw new IllegalArgumentException("node " + n.nodeId() + " cannot be written in a hostfile: "
                        + problem);
            });
            out.append(n.hostname()).append(" slots=").append(n.tasks()).append('\n');
        }
        return out.toString();
    }
}
