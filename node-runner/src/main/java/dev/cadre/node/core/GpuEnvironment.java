package dev.cadre.node.core;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a job is told of its GPUs, as Slurm's gres/gpu sets it (gres_common.c, gres_common_gpu_set_env): the global
 * indexes in SLURM_JOB_GPUS for the batch script or SLURM_STEP_GPUS for a step, their count in SLURM_GPUS_ON_NODE,
 * and the same indexes in the vendors' device variables, comma-separated: CUDA_VISIBLE_DEVICES for GPUs nvidia-smi
 * found (Slurm's AutoDetect=nvml); CUDA_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES, ZE_AFFINITY_MASK and
 * GPU_DEVICE_ORDINAL for declared ones (Slurm's default for a GPU whose gres.conf line has no Flags). The device
 * variables hold the global indexes because Cadre hides no GPU from a job (Slurm renumbers from 0 only where
 * ConstrainDevices hides the others). A job given no GPU on a node that has some has all of them unset, a value it
 * brought from the submitter's environment included, as Slurm unsets them; on a node without GPUs nothing changes.
 */
public final class GpuEnvironment {
    /** Whose GPUs are said. */
    public enum Scope {
        /** The batch script's. */
        JOB("SLURM_JOB_GPUS"),
        /** A remote command's: an srun step, an MPI rank. */
        STEP("SLURM_STEP_GPUS");

        final String variable;

        Scope(String variable) {
            this.variable = variable;
        }
    }

    private static final List<String> NVIDIA = List.of("CUDA_VISIBLE_DEVICES");
    private static final List<String> EVERY_VENDOR = List.of("CUDA_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES",
            "ZE_AFFINITY_MASK", "GPU_DEVICE_ORDINAL");
    private static final String ON_NODE = "SLURM_GPUS_ON_NODE";

    private GpuEnvironment() {
    }

    /** Sets (or unsets) the variables in {@code env} for the attempt's GPUs on this node. */
    public static void apply(Map<String, String> env, NodeGpus node, List<Integer> gpus, Scope scope) {
        if (node.count() == 0) {
            return;
        }
        List<String> devices = node.detected() ? NVIDIA : EVERY_VENDOR;
        if (gpus.isEmpty()) {
            devices.forEach(env::remove);
            env.remove(scope.variable);
            env.remove(ON_NODE);
            return;
        }
        String list = gpus.stream().map(String::valueOf).collect(Collectors.joining(","));
        devices.forEach(name -> env.put(name, list));
        env.put(scope.variable, list);
        env.put(ON_NODE, Integer.toString(gpus.size()));
    }
}
