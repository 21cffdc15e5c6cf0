package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How srun tells its tasks' ends: Slurm's line for each failed task, and the step's exit code. */
class TaskEndsTest {
    @Test
    void describesEndingsAsSrunDoes() {
        assertEquals("Exited with exit code 3", TaskEnds.describe(3));
        assertEquals("Killed", TaskEnds.describe(137));
        assertEquals("Terminated", TaskEnds.describe(143));
        assertEquals("Killed by signal 1", TaskEnds.describe(129));
        assertEquals("srun: error: n2: task 2: Exited with exit code 4",
                TaskEnds.report(new StepLayout.Task(2, 1, "n2", 0), 4));
    }

    @Test
    void theStepExitsWithItsTasksHighestCode() {
        assertEquals(0, TaskEnds.stepExit(List.of(0, 0, 0)));
        assertEquals(4, TaskEnds.stepExit(List.of(0, 4, 1)), "a task other than task 0 failing");
        assertEquals(137, TaskEnds.stepExit(List.of(3, 137, 0)), "a signal as 128 + it");
        assertEquals(0, TaskEnds.stepExit(List.of()));
    }
}
