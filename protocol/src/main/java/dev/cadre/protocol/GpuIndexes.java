package dev.cadre.protocol;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The GPU indexes a node says an attempt holds there (runner-running's and node-heartbeat's {@code gpus}): the
 * indexes nvidia-smi gives the node's GPUs, or 0 to N-1 for a node declared with {@code --gpus N}, each once. They
 * are what the job's CUDA_VISIBLE_DEVICES says, and what scontrol -d show job prints as Slurm's {@code IDX:}.
 */
public final class GpuIndexes {
    /** The highest index a node may say, as Slurm's gres/gpu takes device ids below 1024. */
    public static final int MAX_INDEX = 1023;

    private GpuIndexes() {
    }

    /**
     * Null when each entry is an index from 0 to {@value #MAX_INDEX}, named once (the empty list included); else
     * which entry is not, as {@code field[i]}.
     */
    public static String problem(String field, List<Integer> gpus) {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < gpus.size(); i++) {
            Integer g = gpus.get(i);
            if (g == null || g < 0 || g > MAX_INDEX) {
                return field + "[" + i + "] is " + g + ", which is no GPU index from 0 to " + MAX_INDEX;
            }
            if (!seen.add(g)) {
                return field + "[" + i + "] is " + g + " again; each GPU is named once";
            }
        }
        return null;
    }
}
