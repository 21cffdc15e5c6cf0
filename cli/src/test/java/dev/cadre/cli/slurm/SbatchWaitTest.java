package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.cli.wire.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What sbatch --wait exits with, from the job's records as the REST API lists them. */
class SbatchWaitTest {

    private static Json record(String fields) {
        return Json.parse("{\"id\": 7, \"displayId\": \"7\", " + fields + "}");
    }

    private static int exit(String... records) {
        List<Json> all = new ArrayList<>();
        for (String r : records) {
            all.add(record(r));
        }
        return SbatchWait.exitCode(all);
    }

    @Test
    void aJobThatExitedGivesItsExitCode() {
        assertEquals(0, exit("\"state\": \"COMPLETED\", \"exitCode\": 0"));
        assertEquals(3, exit("\"state\": \"FAILED\", \"exitCode\": 3"));
        assertEquals(3, exit("\"state\": \"FAILED\", \"exitCode\": 3, \"signal\": 0"), "as the REST API says it");
        assertEquals(255, exit("\"state\": \"FAILED\", \"exitCode\": 255"));
    }

    @Test
    void aJobEndedByASignalOrThatDidNotRunGivesOne() {
        assertEquals(1, exit("\"state\": \"FAILED\", \"exitCode\": 0, \"signal\": 9"));
        assertEquals(1, exit("\"state\": \"TIMEOUT\", \"exitCode\": 0, \"signal\": 15"));
        assertEquals(1, exit("\"state\": \"CANCELLED\""), "cancelled while pending: Slurm says 0, which hides it");
        assertEquals(1, exit("\"state\": \"NODE_FAIL\""));
        assertEquals(1, exit("\"state\": \"CANCELLED\", \"exitCode\": 0, \"signal\": 15"));
    }

    @Test
    void anArrayGivesTheHighestOfItsTasks() {
        assertEquals(4, exit("\"state\": \"COMPLETED\", \"exitCode\": 0", "\"state\": \"FAILED\", \"exitCode\": 4",
                "\"state\": \"FAILED\", \"exitCode\": 2", "\"state\": \"CANCELLED\""));
        assertEquals(0, exit("\"state\": \"COMPLETED\", \"exitCode\": 0", "\"state\": \"COMPLETED\", \"exitCode\": 0"));
    }

    @Test
    void aRecordNotEndedIsAMistakeOfTheCaller() {
        assertThrows(IllegalArgumentException.class, () -> exit("\"state\": \"RUNNING\""));
    }

    @Test
    void pollsThinOutToTwoSeconds() {
        Duration poll = SbatchWait.FIRST_POLL;
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            seen.add(poll.toMillis());
            poll = SbatchWait.nextPoll(poll);
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L), seen);
    }

    @Test
    void theStatesStillToLeaveAreTheOnesThatAreNotEnded() {
        assertEquals("PENDING,RUNNING,COMPLETING,REQUEUED,SUSPENDED", SbatchWait.NOT_ENDED);
    }
}
