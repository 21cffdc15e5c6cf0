package dev.cadre.node.core;

import java.util.Map;
import java.util.SortedSet;

/**
 * What the node's kernel says of its CPUs, read once as the node starts: the socket (physical package) of each CPU
 * and how many CPU ids it knows, which sets the width of Slurm's CPU masks ({@link TaskCpus}).
 *
 * @param sockets each CPU's socket; a CPU not in it is taken as on socket 0, as on a node of one socket
 * @param cpus the highest CPU id the kernel knows, and one; 0 when unknown
 */
public record NodeTopology(Map<Integer, Integer> sockets, int cpus) {
    /** Nothing read: one socket, masks as wide as the job's CPUs need. */
    public static final NodeTopology UNKNOWN = new NodeTopology(Map.of(), 0);

    public NodeTopology {
        sockets = Map.copyOf(sockets);
    }

    /** How many CPUs a mask over these CPUs spans: the node's, or up to the highest of them if that is more. */
    public int maskWidth(SortedSet<Integer> jobCpus) {
        return Math.max(cpus, jobCpus.last() + 1);
    }
}
