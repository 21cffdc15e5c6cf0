package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** srun inside a job: its options against the job's variables, and where each task runs. */
class StepLayoutTest {
    /** A job of 7 tasks on four nodes (2,2,2,1), 2 CPUs a task. */
    private static final Map<String, String> JOB = Map.of("SLURM_JOB_ID", "42", "SLURM_NTASKS", "7",
            "SLURM_JOB_NODELIST", "n[1-4]", "SLURM_TASKS_PER_NODE", "2(x3),1", "SLURM_JOB_CPUS_PER_NODE", "4(x3),2",
            "SLURM_CPUS_PER_TASK", "2");

    private static StepLayout layout(String... args) throws SlurmUsageException {
        return StepLayout.of(StepLayout.Allocation.fromEnvironment(JOB), SrunOptions.parse(List.of(args), JOB), "42");
    }

    private static List<String> tasks(StepLayout s) {
        return s.tasks().stream().map(t -> t.procId() + "@" + t.host() + "/" + t.localId() + "#" + t.nodeId())
                .toList();
    }

    @Test
    void aBareSrunRunsOneTaskPerTaskOfTheJobWhereTheJobHasThem() throws Exception {
        StepLayout s = layout("hostname");
        assertEquals(List.of("n1", "n2", "n3", "n4"), s.hosts());
        assertEquals(List.of(2, 2, 2, 1), s.tasksPerNode());
        assertEquals(List.of("0@n1/0#0", "1@n1/1#0", "2@n2/0#1", "3@n2/1#1", "4@n3/0#2", "5@n3/1#2", "6@n4/0#3"),
                tasks(s));
        assertEquals("0,1", s.globalIdsOn(0));
    }

    @Test
    void fewerTasksUseFewerNodesAndSpreadEvenly() throws Exception {
        assertEquals(List.of("0@n1/0#0", "1@n2/0#1"), tasks(layout("-n", "2", "true")));
        assertEquals(List.of(1, 1, 1, 1), layout("-n", "4", "true").tasksPerNode());
        assertEquals(List.of(2, 1), layout("-N", "2", "-n", "3", "true").tasksPerNode());
        assertEquals(List.of(2, 2), layout("-N", "2", "--ntasks-per-node=2", "true").tasksPerNode());
        assertEquals(List.of("n3"), layout("-w", "n3", "-n", "1", "true").hosts());
    }

    @Test
    void cyclicDealsTasksToNodesInTurn() throws Exception {
        assertEquals(List.of("0@n1/0#0", "1@n2/0#1", "2@n1/1#0", "3@n2/1#1"),
                tasks(layout("-N", "2", "-n", "4", "-m", "cyclic", "true")));
    }

    @Test
    void aStepTheJobCannotHoldIsRefusedAsSlurmRefusesIt() {
        assertEquals("srun: error: Unable to create step for job 42: More processors requested than permitted",
                assertThrows(SlurmUsageException.class, () -> layout("-n", "20", "true")).getMessage());
        assertEquals("srun: error: Unable to create step for job 42: Requested node configuration is not available",
                assertThrows(SlurmUsageException.class, () -> layout("-N", "5", "true")).getMessage());
        assertEquals("srun: error: Unable to create step for job 42: Requested node configuration is not available",
                assertThrows(SlurmUsageException.class, () -> layout("-w", "n9", "true")).getMessage());
        assertThrows(SlurmUsageException.class, () -> StepLayout.Allocation.fromEnvironment(Map.of(
                "SLURM_JOB_NODELIST", "n[1-2]", "SLURM_TASKS_PER_NODE", "1", "SLURM_JOB_CPUS_PER_NODE", "1(x2)")));
    }
}
