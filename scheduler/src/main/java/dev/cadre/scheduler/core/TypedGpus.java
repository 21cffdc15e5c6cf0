package dev.cadre.scheduler.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GPUs of each type a node has free, as Slurm's select/cons_tres counts a node's typed GRES: a job asking for a
 * type ({@code --gpus a100:1}) fits only where that many of the type are free, and gets them; one asking for none
 * fits wherever as many GPUs of any types are, and gets those of the node's first types first (in the order of their
 * lowest indexes: the node gives the lowest free indexes of each type). Maps from type to count; empty for a node
 * whose GPUs have no type, which no job asking for a type fits.
 */
final class TypedGpus {
    private TypedGpus() {
    }

    /**
     * The types of {@code gpus} GPUs a job asking for {@code type} (null: any) gets from these free ones; null on a
     * node without types. Never more of a type than is free, unless too few are free in all (a node that came back
     * with fewer): the rest then of its first type.
     */
    static Map<String, Integer> take(Map<String, Integer> free, String type, int gpus) {
        if (free.isEmpty() || gpus == 0) {
            return null;
        }
        Map<String, Integer> taken = new LinkedHashMap<>();
        if (type != null) {
            taken.put(type, gpus);
            return taken;
        }
        int left = gpus;
        for (Map.Entry<String, Integer> t : free.entrySet()) {
            int n = Math.min(left, Math.max(0, t.getValue()));
            if (n > 0) {
                taken.put(t.getKey(), n);
                left -= n;
            }
        }
        if (left > 0) {
            taken.merge(free.keySet().iterator().next(), left, Integer::sum);
        }
        return taken;
    }

    /** What is free once a slot of these types is taken (sign -1) or given back (sign 1). */
    static Map<String, Integer> change(Map<String, Integer> free, Map<String, Integer> slot, int sign) {
        if (slot == null || slot.isEmpty() || free.isEmpty()) {
            return free;
        }
        Map<String, Integer> out = new LinkedHashMap<>(free);
        slot.forEach((type, n) -> out.merge(type, sign * n, Integer::sum));
        return out;
    }

    /** Per type, the fewer of the two: what is free throughout two periods. */
    static Map<String, Integer> least(Map<String, Integer> a, Map<String, Integer> b) {
        if (a.isEmpty()) {
            return a;
        }
        Map<String, Integer> out = new LinkedHashMap<>(a);
        out.replaceAll((type, n) -> Math.min(n, b.getOrDefault(type, 0)));
        return out;
    }
}
