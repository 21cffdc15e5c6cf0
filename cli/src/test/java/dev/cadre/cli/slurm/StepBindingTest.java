package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.ExecMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What srun tells each task's node of its binding: --cpu-bind, --gpu-bind, --gpus-per-task and -m's second part. */
class StepBindingTest {
    private static final Map<String, String> JOB = Map.of("SLURM_JOB_ID", "42", "SLURM_NTASKS", "4",
            "SLURM_JOB_NODELIST", "n[1-2]", "SLURM_TASKS_PER_NODE", "3,1", "SLURM_JOB_CPUS_PER_NODE", "3,1");

    private static List<ExecMessage.StepTask> tasks(Map<String, String> env, String... args) throws Exception {
        SrunOptions o = SrunOptions.parse(List.of(args), env);
        StepLayout step = StepLayout.of(StepLayout.Allocation.fromEnvironment(env), o, "42");
        return step.tasks().stream().map(t -> o.binding().task(step, t, o.cpusPerTask())).toList();
    }

    private static List<String> refusal(String... args) {
        return assertThrows(SlurmUsageException.class, () -> SrunOptions.parse(List.of(args), JOB)).lines();
    }

    @Test
    void eachTaskIsNamedOnItsNodeWithTheStepsBinding() throws Exception {
        assertEquals(List.of(new ExecMessage.StepTask(0, 3, 0, null, "block", "verbose,cores", "per_task:2"),
                new ExecMessage.StepTask(1, 3, 1, null, "block", "verbose,cores", "per_task:2"),
                new ExecMessage.StepTask(2, 3, 2, null, "block", "verbose,cores", "per_task:2"),
                new ExecMessage.StepTask(0, 1, 3, null, "block", "verbose,cores", "per_task:2")),
                tasks(JOB, "--cpu-bind=verbose,cores", "-m", "block:block", "--gpus-per-task=a100:2", "prog"));
        assertEquals(new ExecMessage.StepTask(0, 3, 0, null, null, null, null), tasks(JOB, "prog").get(0),
                "Slurm's defaults: the node's automatic binding, no GPU binding");
        assertEquals(new ExecMessage.StepTask(0, 3, 0, null, "fcyclic", null, "map_gpu:1,0"),
                tasks(JOB, "-n", "4", "-m", "cyclic:fcyclic", "--gpu-bind=map_gpu:1,0", "--gpus-per-task=1", "prog")
                        .get(0), "--gpu-bind over --gpus-per-task's per_task");
        Map<String, String> env = new HashMap<>(JOB);
        env.put("SLURM_GPU_BIND", "closest");
        env.put("SLURM_CPU_BIND", "none");
        assertEquals(new ExecMessage.StepTask(0, 3, 0, null, null, "none", "closest"), tasks(env, "prog").get(0));
        env.remove("SLURM_GPU_BIND");
        env.put("SLURM_GPUS_PER_TASK", "1");
        assertEquals(null, tasks(env, "prog").get(0).gpuBind(), "the job's, which Cadre sets for any GPU job");
    }

    @Test
    void whatSrunCannotReadIsRefusedWithSlurmsWords() {
        assertEquals(List.of("srun: error: unrecognized --cpu-bind argument \"numa\"",
                "srun: fatal: Failed to parse --cpu-bind= values."), refusal("--cpu-bind=v,numa", "prog"));
        assertEquals(List.of("srun: error: --gpu-bind=sockets is none of none, closest, single:N, per_task:N,"
                + " map_gpu:LIST and mask_gpu:LIST (after an optional verbose,)"), refusal("--gpu-bind=sockets", "p"));
        assertEquals(List.of("srun: error: Invalid --distribution specification"), refusal("-m", "block:plane", "p"));
        assertEquals(List.of("srun: error: Invalid --gpus-per-task specification: x"),
                refusal("--gpus-per-task=x", "p"));
    }

    @Test
    void aJobWithGpusLeavesItsTasksGpuVariablesToTheirNodes() throws Exception {
        Map<String, String> env = new HashMap<>(JOB);
        env.put("CUDA_VISIBLE_DEVICES", "0,1");
        env.put("SLURM_CPU_BIND", "quiet,mask_cpu:0x1");
        SrunOptions o = SrunOptions.parse(List.of("--cpu-bind=none", "prog"), env);
        StepLayout step = StepLayout.of(StepLayout.Allocation.fromEnvironment(env), o, "42");
        Map<String, String> mine = StepTasks.environment(env, o, step, step.tasks().get(0), 0, 3);
        assertEquals("0,1", mine.get("CUDA_VISIBLE_DEVICES"), "a job without GPUs here: the user's own");
        assertFalse(mine.containsKey("SLURM_CPU_BIND"), "each node says the task's binding");
        env.put("SLURM_JOB_GPUS", "0,1");
        mine = StepTasks.environment(env, o, step, step.tasks().get(0), 0, 3);
        assertFalse(mine.containsKey("CUDA_VISIBLE_DEVICES"), "the task's node says the task's GPUs");
    }
}
