package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.JobState;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScancelTargetsTest {
    /** Array 12: tasks 0 and 1 run as jobs 13 and 14, tasks 2 to 10 wait in the array's record. */
    private static final SqueueJob PENDING_TASKS = new SqueueJob(12, "12_[2-10]", 12L, null, "2-10", null, "sweep",
            "ann", JobState.PENDING, "Resources", 1, 1, 1, null, null, null, null, null, null, null, null, 0, null,
            null, true, "/w", 0, null);
    private static final SqueueJob TASK_0 = running(13, "12_0", 12L, 0);
    private static final SqueueJob TASK_1 = running(14, "12_1", 12L, 1);
    private static final SqueueJob PLAIN = running(20, "20", null, null);

    private static SqueueJob running(long id, String displayId, Long array, Integer task) {
        return new SqueueJob(id, displayId, array, task, null, null, "sweep", "ann", JobState.RUNNING, null, 1, 1, 1,
                "n1", null, null, null, null, null, null, null, 0, null, null, true, "/w", 1, null);
    }

    private static List<String> targets(List<SqueueJob> found, String... args) throws SlurmUsageException {
        return ScancelTargets.of(ScancelOptions.parse(List.of(args), "ann"), found);
    }

    @Test
    void aPendingTaskNamedWithAFilterIsThatTaskAlone() throws SlurmUsageException {
        // GET /api/jobs?id=12_3 answers with the array's record of pending tasks.
        assertEquals(List.of("12_3"), targets(List.of(PENDING_TASKS), "--me", "12_3"));
        assertEquals(List.of("12_3"), targets(List.of(PENDING_TASKS), "-t", "PENDING", "12_3"));
        assertEquals(List.of("12_3"), targets(List.of(PENDING_TASKS), "-n", "sweep", "-u", "ann", "12_3"));
        assertEquals(List.of("12_3", "12_7"), targets(List.of(PENDING_TASKS), "--me", "12_3,12_7"));
    }

    @Test
    void aTaskListIsEachOfItsTasks() throws SlurmUsageException {
        assertEquals(List.of("12_3", "12_4", "12_9"), targets(List.of(PENDING_TASKS), "--me", "12_[3-4,9]"));
        assertEquals(List.of(new SlurmJobId(11, 7), new SlurmJobId(11, 8), new SlurmJobId(11, 9),
                new SlurmJobId(11, 20)), ScancelOptions.parse(List.of("11_[7-9,20]"), "ann").jobs());
        assertEquals(List.of("scancel: error: Invalid job id 11_[7-9: a task list ends the id with ']'"),
                assertThrows(SlurmUsageException.class, () -> ScancelOptions.parse(List.of("11_[7-9"), "ann"))
                        .lines());
    }

    @Test
    void filtersOnlyNarrow() throws SlurmUsageException {
        assertEquals(List.of(), targets(List.of(PENDING_TASKS), "-u", "bob", "12_3"));
        assertEquals(List.of(), targets(List.of(PENDING_TASKS), "-t", "RUNNING", "12_3"));
        assertEquals(List.of(), targets(List.of(PENDING_TASKS), "-n", "other", "12_3"));
        // A task the record no longer holds (it started or ended since) is not taken from it.
        assertEquals(List.of(), targets(List.of(PENDING_TASKS), "--me", "12_1"));
    }

    @Test
    void theWholeArrayOrItsPendingTasks() throws SlurmUsageException {
        assertEquals(List.of("12"), targets(List.of(PENDING_TASKS, TASK_0, TASK_1), "--me", "12"));
        assertEquals(List.of("12", "20"), targets(List.of(PENDING_TASKS, TASK_0, TASK_1, PLAIN), "--me"));
        assertEquals(List.of("12_2", "12_3", "12_4", "12_5", "12_6", "12_7", "12_8", "12_9", "12_10"),
                targets(List.of(PENDING_TASKS, TASK_0, TASK_1), "-t", "PD", "12"));
        assertEquals(List.of("12_0", "12_1"), targets(List.of(PENDING_TASKS, TASK_0, TASK_1), "-t", "R", "12"));
    }

    @Test
    void aPendingSetLongerThanAnyRequestIsReadWhole() throws SlurmUsageException {
        // Array 50 after a hold of 50_[0-99999:3]: the held tasks wait in a part of their own.
        SqueueJob rest = new SqueueJob(50, "50_[...]", 50L, null, SqueueLinesTest.everyThirdHeldApart(), null, "sweep",
                "ann", JobState.PENDING, "Priority", 1, 1, 1, null, null, null, null, null, null, null, null, 0, null,
                null, true, "/w", 0, null);
        List<String> pending = targets(List.of(rest), "-t", "PD", "50");
        assertEquals(66_666, pending.size());
        assertEquals(List.of("50_1", "50_2", "50_4"), pending.subList(0, 3));
        assertEquals(List.of("50_4"), targets(List.of(rest), "--me", "50_3,50_4"));
    }

    @Test
    void runningTasksAndJobsByTheirIds() throws SlurmUsageException {
        assertEquals(List.of("12_1"), targets(List.of(TASK_1), "--me", "12_1"));
        assertEquals(List.of("12_1", "20"), targets(List.of(TASK_1, PLAIN), "-w", "n1", "12_1,20"));
        assertEquals(List.of(), targets(List.of(TASK_1, PLAIN), "-w", "n2", "12_1,20"));
    }
}
