package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a job is told of its GPUs, as Slurm's gres/gpu sets it (gres_common_gpu_set_env). */
class GpuEnvironmentTest {
    private static Map<String, String> told(NodeGpus node, List<Integer> gpus, GpuEnvironment.Scope scope,
            Map<String, String> before) {
        Map<String, String> env = new HashMap<>(before);
        GpuEnvironment.apply(env, node, gpus, scope);
        return env;
    }

    @Test
    void declaredGpusAreToldInEveryVendorsVariableAndSlurms() {
        assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "1,3", "ROCR_VISIBLE_DEVICES", "1,3", "ZE_AFFINITY_MASK", "1,3",
                "GPU_DEVICE_ORDINAL", "1,3", "SLURM_JOB_GPUS", "1,3", "SLURM_GPUS_ON_NODE", "2", "HOME", "/home/a"),
                told(NodeGpus.declared(4), List.of(1, 3), GpuEnvironment.Scope.JOB, Map.of("HOME", "/home/a")));
        assertEquals("2", told(NodeGpus.declared(4), List.of(2), GpuEnvironment.Scope.STEP, Map.of())
                .get("SLURM_STEP_GPUS"), "a step's own variable");
    }

    @Test
    void gpusNvidiaSmiFoundAreToldInCudasVariableAlone() {
        NodeGpus found = NodeGpus.fromNvidiaSmi("GPU 0: A (UUID: GPU-1)\nGPU 1: B (UUID: GPU-2)\n");
        assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "1", "SLURM_JOB_GPUS", "1", "SLURM_GPUS_ON_NODE", "1"),
                told(found, List.of(1), GpuEnvironment.Scope.JOB, Map.of()));
    }

    @Test
    void aJobWithoutGpusOnANodeWithSomeHasTheirVariablesUnsetAndANodeWithoutGpusChangesNothing() {
        Map<String, String> submitted = Map.of("CUDA_VISIBLE_DEVICES", "0", "ROCR_VISIBLE_DEVICES", "0",
                "SLURM_JOB_GPUS", "0", "SLURM_GPUS_ON_NODE", "1", "PATH", "/bin");
        assertEquals(Map.of("PATH", "/bin"), told(NodeGpus.declared(2), List.of(), GpuEnvironment.Scope.JOB,
                submitted));
        assertEquals(submitted, told(NodeGpus.NONE, List.of(), GpuEnvironment.Scope.JOB, submitted));
    }
}
