package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What one task of a job array sees: Slurm's array variables and output names. */
class LaunchPlannerArrayTest {
    private static final Allocation ONE = new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0,
            0)));

    /** Task {@code taskId} of array 100, itself job {@code 100 + taskId + 1}. */
    private static LaunchPlan task(String array, int taskId, JobSpec.Builder spec) {
        JobSpec s = spec.user("alice").script("#!/bin/sh\n").workDir("/work").array(array).build();
        return LaunchPlanner.plan(new NodeCommand.PlaceJob(100 + taskId + 1, 1, s, ONE, "token",
                new ArrayPart(100, taskId, null)), "cadre");
    }

    private static Map<String, String> arrayVariables(LaunchPlan plan) {
        return plan.environment().entrySet().stream().filter(e -> e.getKey().startsWith("SLURM_ARRAY_"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void aTaskGetsTheArraysVariablesAndKeepsItsOwnJobId() {
        LaunchPlan plan = task("0-99%4", 7, JobSpec.builder());
        assertEquals(Map.of("SLURM_ARRAY_JOB_ID", "100", "SLURM_ARRAY_TASK_ID", "7", "SLURM_ARRAY_TASK_COUNT", "100",
                "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_MAX", "99", "SLURM_ARRAY_TASK_STEP", "1"),
                arrayVariables(plan));
        assertEquals("108", plan.environment().get("SLURM_JOB_ID"));
        assertEquals("108", plan.environment().get("SLURM_JOBID"));
    }

    @Test
    void countAndBoundsCoverTheWholeListAndTheStepIsOneUnlessTheArrayIsOneSteppedRange() {
        assertEquals(Map.of("SLURM_ARRAY_JOB_ID", "100", "SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_COUNT", "5",
                "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_MAX", "17", "SLURM_ARRAY_TASK_STEP", "4"),
                arrayVariables(task("1-20:4", 5, JobSpec.builder())));
        assertEquals(Map.of("SLURM_ARRAY_JOB_ID", "100", "SLURM_ARRAY_TASK_ID", "9", "SLURM_ARRAY_TASK_COUNT", "4",
                "SLURM_ARRAY_TASK_MIN", "3", "SLURM_ARRAY_TASK_MAX", "10", "SLURM_ARRAY_TASK_STEP", "1"),
                arrayVariables(task("3,5,9-10", 9, JobSpec.builder())));
        assertEquals(3, LaunchPlanner.step("0-30:3%2"));
        assertEquals(1, LaunchPlanner.step("0-8:2,20"));
        assertEquals(1, LaunchPlanner.step("1,3,5"));
    }

    @Test
    void aTasksDefaultOutputIsNamedForTheArrayAndTheTask() {
        assertEquals(Path.of("/work/slurm-100_7.out"), task("0-9", 7, JobSpec.builder()).stdout());
        LaunchPlan named = task("0-9", 7, JobSpec.builder().stdout("out/%x-%A_%a-%j.log").stderr("err-%4a")
                .name("sweep"));
        assertEquals(Path.of("/work/out/sweep-100_7-108.log"), named.stdout());
        assertEquals(Path.of("/work/err-0007"), named.stderr());
    }

    @Test
    void aJobOutsideAnyArrayGetsNoArrayVariablesAndItsUsualOutputName() {
        JobSpec s = JobSpec.builder().user("alice").script("#!/bin/sh\n").workDir("/work").build();
        LaunchPlan plan = LaunchPlanner.plan(new NodeCommand.PlaceJob(7, 1, s, ONE, "token"), "cadre");
        assertEquals(Map.of(), arrayVariables(plan));
        assertEquals(Path.of("/work/slurm-7.out"), plan.stdout());
    }
}
