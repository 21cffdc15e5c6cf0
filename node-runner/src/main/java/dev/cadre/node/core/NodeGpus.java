package dev.cadre.node.core;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The GPUs a node offers, by index: those {@code nvidia-smi -L} lists ({@code GPU 0: ...}), or 0 to N-1 for a node
 * declared with {@code --gpus N}. Which of them an attempt gets is {@link GpuChoice}'s; how the job is told,
 * {@link GpuEnvironment}'s, which sets CUDA's variable alone for GPUs nvidia-smi found, as Slurm's AutoDetect=nvml
 * does, and every vendor's for declared ones, as Slurm does for a gres.conf GPU without Flags.
 *
 * @param indexes lowest first, each once
 * @param detected whether nvidia-smi listed them
 */
public record NodeGpus(List<Integer> indexes, boolean detected) {
    /** A node without GPUs. */
    public static final NodeGpus NONE = new NodeGpus(List.of(), false);

    public NodeGpus {
        indexes = indexes.stream().sorted().distinct().toList();
    }

    /** {@code --gpus N}: indexes 0 to N-1. */
    public static NodeGpus declared(int count) {
        return new NodeGpus(IntStream.range(0, Math.max(0, count)).boxed().toList(), false);
    }

    /**
     * The GPUs of nvidia-smi -L's listing: each line {@code GPU INDEX: NAME (UUID: ...)}; the lines of a GPU's MIG
     * devices, indented below it, and anything else are not GPUs of their own.
     */
    public static NodeGpus fromNvidiaSmi(String listing) {
        List<Integer> found = new ArrayList<>();
        for (String line : listing.split("\n")) {
            int colon = line.indexOf(':');
            if (line.startsWith("GPU ") && colon > 4) {
                try {
                    found.add(Integer.parseInt(line.substring(4, colon).strip()));
                } catch (NumberFormatException e) {
                    // Not a GPU line as nvidia-smi writes them: no GPU.
                }
            }
        }
        return new NodeGpus(found, true);
    }

    public int count() {
        return indexes.size();
    }
}
