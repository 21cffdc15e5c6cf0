package dev.cadre.node.core;

import dev.cadre.protocol.GpuTypes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The GPUs a node offers, by index, each of a type or all of none: those {@code nvidia-smi -L} lists ({@code GPU 0:
 * NAME (UUID: ...)}), typed by their model's name as Slurm's AutoDetect=nvml types them, or 0 to N-1 for a node
 * declared with {@code --gpus N} (no types) or {@code --gpus a100:2,v100:1} (0 and 1 a100, 2 v100). Which of them an
 * attempt gets is {@link GpuChoice}'s; how the job is told, {@link GpuEnvironment}'s, which sets CUDA's variable
 * alone for GPUs nvidia-smi found, as Slurm's AutoDetect=nvml does, and every vendor's for declared ones, as Slurm
 * does for a gres.conf GPU without Flags.
 *
 * @param indexes lowest first, each once
 * @param detected whether nvidia-smi listed them
 * @param types the type of each index; empty when they have none
 */
public record NodeGpus(List<Integer> indexes, boolean detected, Map<Integer, String> types) {
    /** A node without GPUs. */
    public static final NodeGpus NONE = new NodeGpus(List.of(), false);
    /** The most GPUs a node may declare. */
    public static final int MAX_GPUS = 1024;

    public NodeGpus {
        indexes = indexes.stream().sorted().distinct().toList();
        types = types == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(types));
    }

    /** GPUs without types. */
    public NodeGpus(List<Integer> indexes, boolean detected) {
        this(indexes, detected, Map.of());
    }

    /** {@code --gpus N}: indexes 0 to N-1. */
    public static NodeGpus declared(int count) {
        return new NodeGpus(IntStream.range(0, Math.max(0, count)).boxed().toList(), false);
    }

    /**
     * {@code --gpus}' text: a count ({@code 4}), or Slurm's typed counts without its {@code gpu:} ({@code
     * a100:2,v100:1}; a type alone is one), numbered in the order given.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static NodeGpus declared(String text) {
        if (text.matches("[0-9]{1,5}")) {
            int count = Integer.parseInt(text);
            if (count > MAX_GPUS) {
                throw new IllegalArgumentException(count + " GPUs; a node has at most " + MAX_GPUS);
            }
            return declared(count);
        }
        Map<Integer, String> types = new TreeMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            String[] typeCount = part.split(":", -1);
            String wrong = typeCount.length > 2 ? "'" + part + "' is not TYPE:COUNT"
                    : GpuTypes.nameProblem(typeCount[0]);
            if (wrong == null && typeCount.length == 2 && !typeCount[1].matches("[0-9]{1,5}")) {
                wrong = "'" + typeCount[1] + "' is no count of " + typeCount[0] + " GPUs";
            }
            if (wrong == null && seen.containsKey(typeCount[0])) {
                wrong = "names " + typeCount[0] + " twice";
            }
            if (wrong != null) {
                throw new IllegalArgumentException(wrong
                        + " (give a count, or TYPE:COUNT for each type: a100:2,v100:1)");
            }
            int count = typeCount.length == 2 ? Integer.parseInt(typeCount[1]) : 1;
            seen.put(typeCount[0], count);
            if (types.size() + count > MAX_GPUS) {
                throw new IllegalArgumentException("more than " + MAX_GPUS + " GPUs");
            }
            int first = types.size();
            for (int i = first; i < first + count; i++) {
                types.put(i, typeCount[0]);
            }
        }
        return new NodeGpus(List.copyOf(types.keySet()), false, types);
    }

    /**
     * The GPUs of nvidia-smi -L's listing: each line {@code GPU INDEX: NAME (UUID: ...)}, of the type its name makes
     * as Slurm's AutoDetect=nvml makes it (lower-cased, spaces as underscores: NVIDIA A100-SXM4-40GB is
     * nvidia_a100-sxm4-40gb); the lines of a GPU's MIG devices, indented below it, and anything else are not GPUs of
     * their own. Should a name make no type Cadre takes, none of the GPUs has a type.
     */
    public static NodeGpus fromNvidiaSmi(String listing) {
        List<Integer> found = new ArrayList<>();
        Map<Integer, String> types = new TreeMap<>();
        boolean typed = true;
        for (String line : listing.split("\n")) {
            int colon = line.indexOf(':');
            if (line.startsWith("GPU ") && colon > 4) {
                int index;
                try {
                    index = Integer.parseInt(line.substring(4, colon).strip());
                } catch (NumberFormatException e) {
                    continue; // Not a GPU line as nvidia-smi writes them: no GPU.
                }
                found.add(index);
                int uuid = line.indexOf(" (UUID:");
                String type = line.substring(colon + 1, uuid > colon ? uuid : line.length()).strip()
                        .toLowerCase(Locale.ROOT).replace(' ', '_');
                typed &= GpuTypes.nameProblem(type) == null;
                types.put(index, type);
            }
        }
        return new NodeGpus(found, true, typed ? types : Map.of());
    }

    public int count() {
        return indexes.size();
    }

    /** The type of the GPU at this index; null when the node's GPUs have none. */
    public String typeOf(int index) {
        return types.get(index);
    }

    /** The indexes of each type, in the order of their lowest (node-heartbeat's gpuTypes); null without types. */
    public Map<String, List<Integer>> byType() {
        if (types.isEmpty()) {
            return null;
        }
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        types.forEach((index, type) -> out.computeIfAbsent(type, t -> new ArrayList<>()).add(index));
        return out;
    }
}
