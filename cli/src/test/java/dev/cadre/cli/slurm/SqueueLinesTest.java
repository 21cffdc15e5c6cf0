package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** squeue's lines: -r's task lines (all of them, or those -j names) merged in squeue's order. */
class SqueueLinesTest {
    private static final Instant NOW = SqueueFormatTest.NOW;

    static SqueueJob pending(long array, String tasks, long priority) {
        return new SqueueJob(array, array + "_[" + tasks + "]", array, null, tasks, null, "sweep", "u",
                JobState.PENDING, "Priority", 1, 1, 1, null, null, NOW, null, null, null, null, null, 0, priority,
                null, true, "/w", 0, null);
    }

    /**
     * What an array of 0-99999 keeps pending once 0-99999:3 is held apart (a task-list hold): "1-2,4-5,...",
     * about 400,000 characters, far past the 10,000 a request's list may take.
     */
    static String everyThirdHeldApart() {
        StringBuilder text = new StringBuilder();
        for (int first = 1; first < 100_000; first += 3) {
            text.append(text.isEmpty() ? "" : ",").append(first).append('-').append(first + 1);
        }
        return text.toString();
    }

    private static SqueueJob running(long id, long array, int task) {
        return new SqueueJob(id, array + "_" + task, array, task, null, null, "sweep", "u", JobState.RUNNING, null,
                1, 1, 1, "n1", null, NOW, null, NOW.minusSeconds(5), null, null, null, 0, 1_000_000L, null, true,
                "/w", 1, null);
    }

    private static SqueueJob plain(long id, JobState state, long priority) {
        return new SqueueJob(id, Long.toString(id), null, null, null, null, "j", "u", state, null, 1, 1, 1, null,
                null, NOW, null, state == JobState.RUNNING ? NOW : null, null, null, null, 0, priority, null, true,
                "/w", 0, null);
    }

    private static List<String> ids(List<SqueueJob> records, boolean r, String named, String sort)
            throws SlurmUsageException {
        List<String> out = new ArrayList<>();
        SqueueLines lines = new SqueueLines(records, r, named == null ? null : SlurmJobId.list(named),
                SqueueOrder.order(sort, NOW));
        while (lines.hasNext()) {
            out.add(lines.next().displayId());
        }
        return out;
    }

    @Test
    void aTaskNamedIsTheOnlyTaskLine() throws Exception {
        List<SqueueJob> array = List.of(pending(20, "0-9", 5));
        assertEquals(List.of("20_3"), ids(array, true, "20_3", SqueueOrder.DEFAULT));
        assertEquals(List.of("20_2", "20_3", "20_8"), ids(array, true, "20_[8,2-3],20_11", SqueueOrder.DEFAULT));
        assertEquals(List.of("20_[0-9]"), ids(array, false, "20_3", SqueueOrder.DEFAULT), "without -r: the record");
        assertEquals(10, ids(array, true, "20", SqueueOrder.DEFAULT).size(), "the array's id names every task");
    }

    @Test
    void everyTaskOfAMillionIsALine() throws Exception {
        List<SqueueJob> array = List.of(pending(30, "0-999999", 5));
        List<String> all = ids(array, true, null, SqueueOrder.DEFAULT);
        assertEquals(1_000_000, all.size());
        assertEquals("30_999999", all.get(999_999));
        List<String> named = ids(array, true, "30_999998", SqueueOrder.DEFAULT);
        assertEquals(1, named.size(), "lines for one task named");
        assertEquals("30_999998", named.get(0));
    }

    @Test
    void aPendingSetLongerThanAnyRequestIsReadWhole() throws Exception {
        String text = everyThirdHeldApart();
        assertTrue(text.length() > 10_000, text.length() + " characters");
        List<SqueueJob> array = List.of(pending(50, text, 5));
        List<String> all = ids(array, true, null, SqueueOrder.DEFAULT);
        assertEquals(66_666, all.size());
        assertEquals(List.of("50_1", "50_2", "50_4"), all.subList(0, 3));
        assertEquals(List.of("50_4"), ids(array, true, "50_[3-4]", SqueueOrder.DEFAULT));
        assertEquals(List.of("50_[" + text + "]"), ids(array, false, null, SqueueOrder.DEFAULT), "without -r");
    }

    @Test
    void taskLinesAreSortedAmongTheRest() throws Exception {
        // Tasks 2 and 5 run; 0-1, 3-4 and 6 wait.
        List<SqueueJob> records = List.of(pending(40, "0-1,3-4,6", 1_000_000), running(41, 40, 2),
                running(42, 40, 5));
        assertEquals(List.of("40_0", "40_1", "40_2", "40_3", "40_4", "40_5", "40_6"), ids(records, true, null, "i"));
        assertEquals(List.of("40_6", "40_5", "40_4", "40_3", "40_2", "40_1", "40_0"), ids(records, true, null, "-i"));
        assertEquals(List.of("40_0", "40_1", "40_3", "40_4", "40_6", "40_2", "40_5"),
                ids(records, true, null, SqueueOrder.DEFAULT), "pending before running, each in task order");
    }

    @Test
    void highestPriorityFirstByDefaultAndWithMinusP() throws Exception {
        List<SqueueJob> jobs = List.of(plain(1, JobState.PENDING, 5), plain(2, JobState.PENDING, 1_000_005),
                plain(3, JobState.PENDING, 999_900), plain(4, JobState.RUNNING, 1_000_000),
                plain(5, JobState.PENDING, 1_000_000));
        assertEquals(List.of("2", "5", "3", "1", "4"), ids(jobs, false, null, SqueueOrder.DEFAULT));
        assertEquals(List.of("2", "5", "4", "3", "1"), ids(jobs, false, null, "-p"), "ties: not started first");
        assertEquals(List.of("1", "3", "5", "4", "2"), ids(jobs, false, null, "Q"));
    }
}
