package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.ArrayIndexes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scancel's grouping of the ids it acts on (several tasks of one array become one task list), and its report of what
 * the scheduler answered.
 */
class ScancelTaskListsTest {
    @Test
    void severalTasksOfAnArrayAreOneListAndEverythingElseStaysAsNamed() {
        ScancelTaskLists lists = ScancelTaskLists.of(List.of("7", "11_3", "11_1", "11_2", "11_9", "12_4", "13"));
        assertEquals(Map.of(11L, "1-3,9"), Map.of(11L, lists.lists().get(11L).toString()));
        assertEquals(List.of("7", "12_4", "13"), lists.singles());
    }

    @Test
    void aListTooLongForOneRequestIsCutBetweenItsRangesAndLosesNothing() {
        List<String> ids = new ArrayList<>();
        for (int i = 0, gap = 1; i < 9_000_000; i += gap, gap++) {
            ids.add("5_" + i);
        }
        ArrayIndexes whole = ScancelTaskLists.of(ids).lists().get(5L);
        List<String> parts = ScancelTaskLists.parts(whole);
        assertTrue(parts.size() > 1, "the whole list is " + whole.toString().length() + " characters");
        parts.forEach(p -> assertTrue(p.length() <= 10_000, p.length() + " characters"));
        assertEquals(whole.toString(), String.join(",", parts));
    }

    @Test
    void tasksNotCancelledAreReportedARangePerLineAndThoseTheAnswerHadNoRoomForByCount() {
        Json answer = Json.parse("""
                {"type": "cancel-result", "jobId": 12, "ok": true, "state": "CANCELLED", "cancelled": "1-4",
                 "ended": "0,7-9", "missing": "20", "omitted": {"cancelled": 12, "ended": 900000}}
                """);
        assertEquals(List.of("scancel: error: Kill job error on job id 12_0: Job/step already completing or completed",
                "scancel: error: Kill job error on job id 12_[7-9]: Job/step already completing or completed",
                "scancel: error: Kill job error on 900000 more tasks of job 12 (too many to name in one answer;"
                        + " 'sacct -j 12' lists every task): Job/step already completing or completed",
                "scancel: error: Kill job error on job id 12_20: Invalid job id specified"),
                ScancelTaskLists.report(12, answer));
        assertEquals(List.of(), ScancelTaskLists.report(12, Json.parse("{\"ok\": true, \"cancelled\": \"1-9\"}")));
    }
}
