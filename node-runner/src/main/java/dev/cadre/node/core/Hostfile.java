package dev.cadre.node.core;

import dev.cadre.protocol.Allocation;
import java.util.regex.Pattern;

/** The Open MPI hostfile of an allocation: one {@code host slots=N} line per node, in allocation order. */
public final class Hostfile {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:-]+");

    private Hostfile() {
    }

    /**
     * @throws IllegalArgumentException when a host name could break the file's lines (blanks, '#', control
     *         characters): the job should fail with this reason rather than start on a hostfile nobody wrote
     */
    public static String text(Allocation allocation) {
        StringBuilder out = new StringBuilder();
        for (Allocation.NodeSlots n : allocation.nodes()) {
            if (n.hostname() == null || !HOST.matcher(n.hostname()).matches()) {
                throw new IllegalArgumentException("node " + n.nodeId() + " has the host name '" + n.hostname()
                        + "', which cannot be written in a hostfile");
            }
            out.append(n.hostname()).append(" slots=").append(n.tasks()).append('\n');
        }
        return out.toString();
    }
}
