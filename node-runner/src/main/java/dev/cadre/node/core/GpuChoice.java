package dev.cadre.node.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return choose(node, held, gpus, null, wholeNode);
    }

    /**
     * @param types how many of each type, on a node whose GPUs have types; null to take any (a head from before
     *     types, a node without them)
     */
    public static List<Integer> choose(NodeGpus node, Set<Integer> held, int gpus, Map<String, Integer> types,
            boolean wholeNode) {
        if (wholeNode) {
            return node.indexes();
        }
        if (types == null || node.types().isEmpty()) {
            return lowest(node.indexes(), held, gpus, List.of()).stream().sorted().toList();
        }
        List<Integer> chosen = new ArrayList<>();
        types.forEach((type, count) -> chosen.addAll(lowest(node.indexes().stream()
                .filter(g -> type.equals(node.typeOf(g))).toList(), held, count, chosen)));
        return chosen.stream().sorted().toList();
    }

    /** {@code count} of the candidates not already chosen, those nobody holds first. */
    private static List<Integer> lowest(List<Integer> candidates, Set<Integer> held, int count,
            List<Integer> chosenBefore) {
        List<Integer> chosen = new ArrayList<>();
        for (int g : candidates) {
            if (chosen.size() < count && !held.contains(g) && !chosenBefore.contains(g)) {
                chosen.add(g);
            }
        }
        for (int g : candidates) {
            if (chosen.size() < count && !chosen.contains(g) && !chosenBefore.contains(g)) {
                chosen.add(g);
            }
        }
        return chosen;
    }
}
