package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import org.junit.jupiter.api.Test;

/** What srun and sbatch --wait exit with for each way a job can end, from the job's record as the REST API has it. */
class JobEndTest {

    private static JobEnd end(String fields) {
        return JobEnd.of(Json.parse("{\"id\": 7, \"displayId\": \"7\", " + fields + "}"));
    }

    @Test
    void aJobThatRanGivesItsExitCodeToBoth() {
        JobEnd completed = end("\"state\": \"COMPLETED\", \"exitCode\": 0, \"signal\": 0");
        assertEquals(0, completed.srunExit());
        assertEquals(0, completed.sbatchExit());
        JobEnd failed = end("\"state\": \"FAILED\", \"exitCode\": 3, \"signal\": 0, \"reason\": \"NonZeroExitCode\"");
        assertEquals(3, failed.srunExit());
        assertEquals(3, failed.sbatchExit());
        assertFalse(failed.failedToStart());
        assertEquals(143, end("\"state\": \"FAILED\", \"exitCode\": 143").srunExit(),
                "srun inside the job says 128 + the signal its task had; the outer one passes it on");
    }

    @Test
    void aSignalGivesSrun128PlusItAndSbatchOne() {
        JobEnd killed = end("\"state\": \"FAILED\", \"exitCode\": 0, \"signal\": 9, \"reason\": \"Signal\"");
        assertEquals(137, killed.srunExit());
        assertEquals(1, killed.sbatchExit());
        JobEnd timedOut = end("\"state\": \"TIMEOUT\", \"exitCode\": 0, \"signal\": 15, \"reason\": \"TimeLimit\"");
        assertEquals(143, timedOut.srunExit());
        assertEquals(1, timedOut.sbatchExit());
        JobEnd cancelled = end("\"state\": \"CANCELLED\", \"exitCode\": 0, \"signal\": 15");
        assertEquals(143, cancelled.srunExit());
        assertEquals(1, cancelled.sbatchExit());
    }

    @Test
    void aJobThatFailedToStartGivesOneAndSaysWhy() {
        JobEnd launch = end("\"state\": \"FAILED\", \"reason\": \"LaunchFailed: cannot open /x/o.out: Permission"
                + " denied\", \"attempts\": [{\"attempt\": 1, \"state\": \"FAILED\", \"error\": \"cannot open /x/o.out:"
                + " Permission denied\"}]");
        assertTrue(launch.failedToStart());
        assertEquals(1, launch.srunExit(), "a null exit code is no 0");
        assertEquals(1, launch.sbatchExit());
        assertEquals("cannot open /x/o.out: Permission denied", launch.why(), "the attempt's own error");
        JobEnd listed = end("\"state\": \"FAILED\", \"reason\": \"LaunchFailed: no such directory\"");
        assertTrue(listed.failedToStart());
        assertEquals("LaunchFailed: no such directory", listed.why(), "a job list has no attempts: the reason");
    }

    @Test
    void anEndWithNothingToReportGivesOne() {
        for (String state : new String[] {"CANCELLED", "TIMEOUT", "NODE_FAIL"}) {
            JobEnd e = end("\"state\": \"" + state + "\"");
            assertEquals(1, e.srunExit(), state);
            assertEquals(1, e.sbatchExit(), state);
            assertFalse(e.failedToStart(), state);
        }
        assertEquals(1, end("\"state\": \"FAILED\", \"exitCode\": 0").srunExit(), "failed is never 0");
        assertEquals(3, end("\"state\": \"TIMEOUT\", \"exitCode\": 3").srunExit(),
                "a script that caught the time limit's TERM and exited says its code");
    }

    @Test
    void aRecordThatHasNotEndedIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> end("\"state\": \"RUNNING\""));
    }
}
