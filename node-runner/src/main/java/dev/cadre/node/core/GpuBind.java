package dev.cadre.node.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * srun's --gpu-bind, and the GPUs it gives one task of a step out of its job's GPUs on the node, as Slurm's gres
 * plugin chooses them for each task (src/common/gres.c _parse_tres_bind, _get_usable_gres, _filter_gres_per_task,
 * _filter_usable_gres, _get_usable_gres_map_or_mask). --gpus-per-task=N stands for per_task:N, as in Slurm.
 *
 * <ul>
 * <li>none (and no --gpu-bind): every task has all of them.</li>
 * <li>closest: the GPUs nearest the task's CPUs; Cadre's nodes know no GPU's socket, so all of them.</li>
 * <li>per_task:N: task T (on the node) the N GPUs after T times N, in index order; those there are when fewer are
 * left, the first GPU when none is.</li>
 * <li>single:N: task T the GPU at (T / N) modulo the GPUs: N tasks to a GPU.</li>
 * <li>map_gpu:LIST and mask_gpu:LIST ({@link BindList}): task T the LIST's entry T (VALUE*N repeats a value),
 * wrapping; map_gpu names a GPU index, mask_gpu the bits of GPU indexes, in hexadecimal with or without 0x. What
 * is not the job's is left out, and a task left with none gets the first of the job's GPUs, as Slurm binds it.</li>
 * </ul>
 *
 * <p>The indexes stay the node's own, as in the job's CUDA_VISIBLE_DEVICES (Slurm renumbers only where
 * ConstrainDevices hides the others). Pure.
 *
 * @param count per_task's and single's N
 * @param list map_gpu's indexes or mask_gpu's masks, in order, repetitions written out
 */
public record GpuBind(boolean verbose, Type type, int count, List<BigInteger> list) {
    /** The largest N of per_task:N and single:N. */
    public static final int MAX = 4096;

    /** How the tasks share the job's GPUs. */
    public enum Type {
        NONE, CLOSEST, PER_TASK, SINGLE, MAP, MASK
    }

    public GpuBind {
        list = List.copyOf(list);
    }

    /** per_task:N, which --gpus-per-task=N implies. */
    public static GpuBind perTask(int gpus) {
        return new GpuBind(false, Type.PER_TASK, gpus, List.of());
    }

    /** @throws IllegalArgumentException naming what is not understood */
    public static GpuBind parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty --gpu-bind");
        }
        String rest = text;
        boolean verbose = false;
        if (rest.toLowerCase(Locale.ROOT).startsWith("verbose,")) {
            verbose = true;
            rest = rest.substring("verbose,".length());
        }
        String lower = rest.toLowerCase(Locale.ROOT);
        if (lower.equals("none")) {
            return new GpuBind(verbose, Type.NONE, 0, List.of());
        }
        if (lower.equals("closest")) {
            return new GpuBind(verbose, Type.CLOSEST, 0, List.of());
        }
        if (lower.startsWith("per_task:") || lower.startsWith("single:")) {
            boolean single = lower.startsWith("single:");
            String n = rest.substring(rest.indexOf(':') + 1);
            return new GpuBind(verbose, single ? Type.SINGLE : Type.PER_TASK, count(n, text), List.of());
        }
        if (lower.startsWith("map_gpu:") || lower.startsWith("mask_gpu:")) {
            boolean map = lower.startsWith("map_gpu:");
            return new GpuBind(verbose, map ? Type.MAP : Type.MASK, 0,
                    BindList.GPUS.read(rest.substring(rest.indexOf(':') + 1), !map, text));
        }
        throw new IllegalArgumentException("--gpu-bind=" + text + " is none of none, closest, single:N, per_task:N,"
                + " map_gpu:LIST and mask_gpu:LIST (after an optional verbose,)");
    }

    /**
     * The task's GPUs.
     *
     * @param jobGpus the job's GPU indexes on the node, ascending; not empty
     * @param localId the task's index among the step's tasks on the node
     */
    public List<Integer> forTask(List<Integer> jobGpus, int localId) {
        List<Integer> mine = switch (type) {
            case NONE, CLOSEST -> jobGpus;
            case PER_TASK -> jobGpus.subList(Math.min(jobGpus.size(), (int) Math.min(Integer.MAX_VALUE,
                    (long) localId * count)), (int) Math.min(jobGpus.size(), (long) localId * count + count));
            case SINGLE -> List.of(jobGpus.get((localId / count) % jobGpus.size()));
            case MAP, MASK -> {
                BigInteger entry = list.get(localId % list.size());
                List<Integer> named = new ArrayList<>();
                for (int gpu : jobGpus) {
                    if (type == Type.MAP ? entry.intValue() == gpu : entry.testBit(gpu)) {
                        named.add(gpu);
                    }
                }
                yield named;
            }
        };
        return mine.isEmpty() ? List.of(jobGpus.get(0)) : List.copyOf(mine);
    }

    /** With verbose, what Slurm's gres plugin writes on the task's stderr (gres_common.c), else null. */
    public String verboseLine(List<Integer> jobGpus, List<Integer> taskGpus) {
        if (!verbose) {
            return null;
        }
        String list = taskGpus.stream().map(String::valueOf).collect(Collectors.joining(","));
        return "gpu-bind: usable_gres=" + mask(taskGpus) + "; bit_alloc=" + mask(jobGpus) + "; local_inx="
                + taskGpus.get(taskGpus.size() - 1) + "; global_list=" + list + "; local_list=" + list;
    }

    private static String mask(List<Integer> gpus) {
        BigInteger m = BigInteger.ZERO;
        for (int gpu : gpus) {
            m = m.setBit(gpu);
        }
        return "0x" + m.toString(16);
    }

    private static int count(String n, String text) {
        try {
            int v = Integer.parseInt(n);
            if (v >= 1 && v <= MAX) {
                return v;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new IllegalArgumentException("'" + n + "' in --gpu-bind=" + text + " is no count (1-" + MAX + ")");
    }
}
