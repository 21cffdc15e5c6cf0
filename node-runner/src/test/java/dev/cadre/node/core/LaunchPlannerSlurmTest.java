package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.NodeCommand;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The SLURM_* variables a batch job sees, as sbatch's man page lists them for the batch script. */
class LaunchPlannerSlurmTest {
    /** Three nodes of 2 tasks and one of 1, 2 CPUs a task. */
    private static final Allocation FOUR = new Allocation(List.of(
            new Allocation.NodeSlots("a-1", "n1", 2, 4, 0, 512), new Allocation.NodeSlots("b-2", "n2", 2, 4, 0, 512),
            new Allocation.NodeSlots("c-3", "n3", 2, 4, 0, 512), new Allocation.NodeSlots("d-4", "n4", 1, 2, 0, 512)));

    private static Map<String, String> env(JobSpec.Builder spec, Allocation a, int attempt) {
        JobSpec s = spec.user("alice").script("#!/bin/sh\n").workDir("/scratch/run").submitHost("login1").build();
        return new TreeMap<>(LaunchPlanner.plan(new NodeCommand.PlaceJob(42, attempt, s, a, "token", null),
                "hpc").environment());
    }

    @Test
    void aMultiNodeJobSeesItsAllocationInSlurmsForms() {
        Map<String, String> env = env(JobSpec.builder().name("sim").tasks(7).cpusPerTask(2).tasksPerNode(2)
                .memoryMb(512L).environment(Map.of("SLURM_SUBMIT_DIR", "/home/alice", "PWD", "/elsewhere")), FOUR, 1);
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("SLURM_JOB_ID", "42"), Map.entry("SLURM_JOBID", "42"), Map.entry("SLURM_JOB_NAME", "sim"),
                Map.entry("SLURM_JOB_USER", "alice"), Map.entry("SLURM_NTASKS", "7"), Map.entry("SLURM_NPROCS", "7"),
                Map.entry("SLURM_NNODES", "4"), Map.entry("SLURM_JOB_NUM_NODES", "4"),
                Map.entry("SLURM_JOB_NODELIST", "n[1-4]"), Map.entry("SLURM_NODELIST", "n[1-4]"),
                Map.entry("SLURM_TASKS_PER_NODE", "2(x3),1"), Map.entry("SLURM_JOB_CPUS_PER_NODE", "4(x3),2"),
                Map.entry("SLURM_CPUS_ON_NODE", "4"), Map.entry("SLURM_CPUS_PER_TASK", "2"),
                Map.entry("SLURM_NTASKS_PER_NODE", "2"), Map.entry("SLURM_MEM_PER_NODE", "512"),
                Map.entry("SLURM_SUBMIT_DIR", "/home/alice"), Map.entry("SLURM_SUBMIT_HOST", "login1"),
                Map.entry("SLURM_CLUSTER_NAME", "hpc"), Map.entry("SLURM_JOB_PARTITION", "batch"),
                Map.entry("SLURM_RESTART_COUNT", "0"), Map.entry("SLURMD_NODENAME", "n1"),
                Map.entry("SLURM_TOPOLOGY_ADDR", "n1"), Map.entry("SLURM_TOPOLOGY_ADDR_PATTERN", "node"),
                Map.entry("SLURM_NODEID", "0"), Map.entry("SLURM_PROCID", "0"), Map.entry("SLURM_LOCALID", "0"),
                Map.entry("SLURM_GTIDS", "0")));
        Map<String, String> slurm = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("SLURM")) {
                slurm.put(k, v);
            }
        });
        assertEquals(expected, slurm);
        assertEquals("BATCH", env.get("ENVIRONMENT"));
        assertEquals("n1", env.get("HOSTNAME"));
    }

    @Test
    void aJobIsToldThePartitionItRunsIn() {
        Allocation one = new Allocation(List.of(new Allocation.NodeSlots("a-1", "n1", 1, 1, 0, 0)));
        assertEquals("gpu", env(JobSpec.builder().partition("gpu"), one, 1).get("SLURM_JOB_PARTITION"));
        assertEquals("batch", env(JobSpec.builder(), one, 1).get("SLURM_JOB_PARTITION"), "a job from before them");
    }

    @Test
    void theSubmitDirectoryFallsBackToThePwdThenTheWorkingDirectory() {
        Allocation one = new Allocation(List.of(new Allocation.NodeSlots("a-1", "n1", 1, 1, 0, 0)));
        assertEquals("/home/alice", env(JobSpec.builder().environment(Map.of("PWD", "/home/alice")), one, 1)
                .get("SLURM_SUBMIT_DIR"));
        assertEquals("/scratch/run", env(JobSpec.builder(), one, 1).get("SLURM_SUBMIT_DIR"));
        assertFalse(env(JobSpec.builder(), one, 1).containsKey("SLURM_CPUS_PER_TASK"), "only when -c was given");
        assertEquals("2", env(JobSpec.builder(), one, 3).get("SLURM_RESTART_COUNT"));
    }

    @Test
    void openModeAppendAppendsFromTheFirstAttempt() {
        Allocation one = new Allocation(List.of(new Allocation.NodeSlots("a-1", "n1", 1, 1, 0, 0)));
        JobSpec.Builder append = JobSpec.builder().user("u").script("#!/bin/sh\n").workDir("/w")
                .environment(Map.of("SLURM_OPEN_MODE", "a"));
        JobSpec.Builder truncate = JobSpec.builder().user("u").script("#!/bin/sh\n").workDir("/w")
                .environment(Map.of("SLURM_OPEN_MODE", "t"));
        assertTrue(LaunchPlanner.plan(new NodeCommand.PlaceJob(1, 1, append.build(), one, "t", null), "c").append());
        assertFalse(LaunchPlanner.plan(new NodeCommand.PlaceJob(1, 1, truncate.build(), one, "t", null), "c")
                .append());
        assertTrue(LaunchPlanner.plan(new NodeCommand.PlaceJob(1, 2, truncate.build(), one, "t", null), "c")
                .append(), "a requeued attempt keeps the earlier output");
    }

    @Test
    void sbatchTimelimitIsTheEnforcedLimitInMinutesRoundedUp() {
        Allocation one = new Allocation(List.of(new Allocation.NodeSlots("a-1", "n1", 1, 1, 0, 0)));
        assertEquals("2", env(JobSpec.builder().timeLimitSeconds(61L), one, 1).get("SBATCH_TIMELIMIT"));
        assertEquals(Long.toString(JobSpecValidator.MAX_TIME_LIMIT_SECONDS / 60),
                env(JobSpec.builder().timeLimitSeconds(Long.MAX_VALUE), one, 1).get("SBATCH_TIMELIMIT"));
        assertEquals("1", env(JobSpec.builder().timeLimitSeconds(0L), one, 1).get("SBATCH_TIMELIMIT"));
        assertFalse(env(JobSpec.builder(), one, 1).containsKey("SBATCH_TIMELIMIT"));
    }
}
