package dev.cadre.node.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which of the node's GPUs an attempt gets, as Slurm's gres/gpu gives each job GPUs of its own: as many as its share
 * of the node has (every one for a job that has its nodes whole, --exclusive), the lowest indexes no other attempt
 * holds first. Deterministic, so that a user (or a test) can tell which a job got. The head counts the GPUs it
 * places, so there are always enough free; should there not be (a node restarted with fewer GPUs declared than its
 * jobs hold), the job still gets its count, the lowest held ones shared, rather than every GPU of the node.
 */
public final class GpuChoice {
    private GpuChoice() {
    }

    /**
     * @param held the GPUs the node's other attempts hold: running (suspended ones too, which keep theirs, as the
     *     head keeps them counted), being started, and held for other nodes' jobs
     * @return in the node's order; empty for an attempt with no GPU here
     */
    public static List<Integer> choose(NodeGpus node, Set<Integer> held, int gpus, boolean wholeNode) {
        if (wholeNode) {
            return node.indexes();
        }
        List<Integer> chosen = new ArrayList<>();
        for (int g : node.indexes()) {
            if (chosen.size() < gpus && !held.contains(g)) {
                chosen.add(g);
            }
        }
        for (int g : node.indexes()) {
            if (chosen.size() < gpus && !chosen.contains(g)) {
                chosen.add(g);
            }
        }
        return chosen.stream().sorted().toList();
    }
}
