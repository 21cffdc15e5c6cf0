package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * scontrol update ArrayTaskThrottle= on a real array against 'cadre up', each command its own process: raising the
 * throttle of an array whose tasks run starts more, squeue and scontrol show job show the new value (a task that has
 * ended too), lowering it stops none, and a task or a job that is no array is refused, changing nothing.
 */
class ArrayThrottleUpdateSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "4");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    private static long running(long array) throws Exception {
        return cadre.ok("squeue", "-h", "-r", "-t", "R", "-j", "" + array, "-o", "%i").out().lines().count();
    }

    private static String pending(long array) throws Exception {
        return cadre.ok("squeue", "-h", "-t", "PD", "-j", "" + array, "-o", "%i").out().trim();
    }

    @Test
    void aRunningArraysThrottleIsRaisedAndLoweredByScontrol() throws Exception {
        long array = cadre.sbatch("-J", "throttled", "--array=1-6%1", "--wrap", "sleep 300");
        CadreProcess.await("one task of " + array + " to run", WAIT, () -> call(() -> running(array) == 1));
        assertEquals(array + "_[2-6%1]", pending(array));

        assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scontrol", "update", "JobId=" + array,
                "ArrayTaskThrottle=3"));

        CadreProcess.await("three tasks of " + array + " to run", WAIT, () -> call(() -> running(array) == 3));
        assertEquals(array + "_[4-6%3]", pending(array));
        assertTrue(cadre.ok("scontrol", "show", "job", "" + array).out().contains("ArrayTaskThrottle=3"));

        cadre.ok("scontrol", "update", "JobId=" + array, "ArrayTaskThrottle=1");
        assertEquals(array + "_[4-6%1]", pending(array));
        assertEquals(3, running(array), "a lower throttle stops no running task");

        CadreProcess.Result task = cadre.run("scontrol", "update", "JobId=" + array + "_5", "ArrayTaskThrottle=2");
        assertEquals(1, task.exit());
        assertTrue(task.err().contains("arrayTaskThrottle: job " + array + "_5 is one task"), task.err());
        long plain = cadre.sbatch("-J", "plain", "-H", "--wrap", "true");
        CadreProcess.Result notArray = cadre.run("scontrol", "update", "JobId=" + plain, "ArrayTaskThrottle=2");
        assertEquals(1, notArray.exit());
        assertTrue(notArray.err().contains("is not an array"), notArray.err());
        CadreProcess.Result negative = cadre.run("scontrol", "update", "JobId=" + array, "ArrayTaskThrottle=-1");
        assertEquals(1, negative.exit());
        assertTrue(negative.err().startsWith("scontrol: error: Invalid ArrayTaskThrottle value: -1"), negative.err());
        assertEquals(array + "_[4-6%1]", pending(array), "nothing changed");

        cadre.ok("scancel", "" + array, "" + plain);
    }

    /**
     * A task that ended before the throttle changed shows the array's new one too, as Slurm's scontrol shows every
     * task of an array its array head's max_run_tasks (pack_job), not the value it ended with.
     */
    @Test
    void aTaskThatHasEndedShowsTheArraysNewThrottle() throws Exception {
        long array = cadre.sbatch("-J", "ended", "--array=1-2%2", "--wrap",
                "test \"$SLURM_ARRAY_TASK_ID\" = 1 || sleep 300");
        String task = array + "_1";
        CadreProcess.await("task " + task + " to end", WAIT, () -> call(() -> cadre.ok("scontrol", "show", "job",
                task).out().contains("JobState=COMPLETED")));
        assertTrue(cadre.ok("scontrol", "show", "job", task).out().contains(" ArrayTaskThrottle=2 "));

        cadre.ok("scontrol", "update", "JobId=" + array, "ArrayTaskThrottle=1");

        String ended = cadre.ok("scontrol", "show", "job", task).out();
        assertTrue(ended.startsWith("JobId=") && ended.contains(" ArrayTaskId=1 ArrayTaskThrottle=1 JobName=ended"),
                ended);
        cadre.ok("scancel", "" + array);
    }

    private interface Check {
        boolean test() throws Exception;
    }

    private static boolean call(Check check) {
        try {
            return check.test();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
