package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * GPU types, as Slurm's typed GRES names them ({@code gpu:a100:2}): a node declared with {@code --gpus a100:2,v100:1},
 * or whose nvidia-smi names its GPUs' models (lower-cased, spaces as underscores, as Slurm's AutoDetect=nvml names
 * them), offers GPUs of those types; a job asking {@code gpu:a100:1} runs only on an a100, one asking {@code gpu:1}
 * on a GPU of any type. A node's types map each type to the indexes of its GPUs of that type (node-heartbeat's and
 * the node record's {@code gpuTypes}); an allocation's, each type to how many of them the job has on the node.
 */
public final class GpuTypes {
    /** A letter first, so that a type is never taken for a count ({@code --gpus 2} against {@code --gpus a100:2}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.+-]{0,63}");

    private GpuTypes() {
    }

    /** Null when the text is a GPU type's name; else why not. */
    public static String nameProblem(String type) {
        if (type == null || !NAME.matcher(type).matches()) {
            return "'" + type + "' is no GPU type: a letter, then up to 63 letters, digits or _ . + -";
        }
        return null;
    }

    /** Null when the spec's gpuType, if any, is a type's name and the job asks for GPUs; else why not. */
    public static String specProblem(JobSpec spec) {
        if (spec.gpuType() == null) {
            return null;
        }
        String wrong = nameProblem(spec.gpuType());
        if (wrong != null) {
            return wrong;
        }
        return spec.gpusPerTaskOrZero() == 0 ? "names a GPU type, but the job asks for no GPUs (gpusPerTask)" : null;
    }

    /**
     * Null when each key of a node's types is a type's name and their indexes ({@link GpuIndexes}), each once over
     * all of them, are its {@code gpus}; else which entry is not, under {@code field}.
     */
    public static String problem(String field, Map<String, List<Integer>> types, int gpus) {
        List<Integer> all = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> t : types.entrySet()) {
            String entry = field + "." + t.getKey();
            String wrong = nameProblem(t.getKey());
            if (wrong != null) {
                return entry + ": " + wrong;
            }
            if (t.getValue() == null || t.getValue().isEmpty()) {
                return entry + " names no GPU index";
            }
            wrong = GpuIndexes.problem(entry, t.getValue());
            if (wrong != null) {
                return wrong;
            }
            all.addAll(t.getValue());
        }
        if (GpuIndexes.problem(field, all) != null) {
            return field + " names a GPU index under two types";
        }
        return all.size() == gpus ? null : field + " names " + all.size() + " GPUs, and the node has " + gpus;
    }

    /** The type of each of a node's GPUs, by index; empty for a node whose GPUs have none. */
    public static Map<Integer, String> byIndex(Map<String, List<Integer>> types) {
        Map<Integer, String> out = new TreeMap<>();
        if (types != null) {
            types.forEach((type, indexes) -> indexes.forEach(i -> out.put(i, type)));
        }
        return out;
    }

    /** How many GPUs of each type the node has, in the order of their lowest indexes. */
    public static Map<String, Integer> counts(Map<String, List<Integer>> types) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (types != null) {
            byIndex(types).values().forEach(t -> out.merge(t, 1, Integer::sum));
        }
        return out;
    }

    /**
     * Slurm's GRES text for a node's GPUs, as scontrol show node's Gres= and sinfo's %G print them: {@code
     * gpu:a100:2,gpu:v100:1}, {@code gpu:4} for GPUs without a type, null for none.
     */
    public static String gres(Map<String, List<Integer>> types, int gpus) {
        if (gpus <= 0) {
            return null;
        }
        Map<String, Integer> counts = counts(types);
        if (counts.isEmpty()) {
            return "gpu:" + gpus;
        }
        StringJoiner out = new StringJoiner(",");
        counts.forEach((type, n) -> out.add("gpu:" + type + ":" + n));
        return out.toString();
    }
}
