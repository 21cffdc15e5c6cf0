package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Task lists held and released in turn must not split an array into a record per task: listed tasks join a part
 * already as they are to be, and an array whose pending tasks would be held in more than
 * {@link TaskListControl#MOST_PARTS} records is refused, changing nothing. (Seventeen lists of bit patterns once split
 * a 100,000-task array into 100,000 parts, each of which every later list, pass and task lookup read.)
 */
class ArrayPartsBoundTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    /** The unfinished records holding the array's pending tasks, checking that each task is in exactly one. */
    private List<JobRecord> holders(long array, int tasks) {
        List<JobRecord> holders = s.stored.values().stream().filter(j -> j.array() != null
                && j.array().arrayJobId() == array && j.array().pending() != null && !j.state().isTerminal()).toList();
        int[] in = new int[tasks];
        holders.forEach(h -> h.array().pending().ids().forEachRemaining((int t) -> in[t]++));
        assertTrue(IntStream.of(in).allMatch(n -> n == 1), "every task is held in exactly one record");
        return holders;
    }

    /** The tasks below n whose bit b is set, in --array syntax: as ranges, or as steps when those are shorter. */
    private static String bitPattern(int b, int n) {
        List<String> ranges = new ArrayList<>();
        for (int start = 1 << b; start < n; start += 2 << b) {
            int end = Math.min(n - 1, start + (1 << b) - 1);
            ranges.add(start == end ? "" + start : start + "-" + end);
        }
        List<String> steps = new ArrayList<>();
        for (int offset = 1 << b; offset < Math.min(n, 2 << b); offset++) {
            steps.add(offset + "-" + (n - 1) + ":" + (2 << b));
        }
        String r = String.join(",", ranges);
        String st = String.join(",", steps);
        return r.length() <= st.length() ? r : st;
    }

    @Test
    void listsOfBitPatternsHeldAndReleasedKeepTheArrayInAFewRecords() {
        int n = 100_000;
        long array = s.submit(CoreScenario.spec().array("0-" + (n - 1)));
        int lists = 0;
        for (int b = 0; b < 17; b++) {
            String pattern = bitPattern(b, n);
            if (pattern.length() > ArrayIndexes.MAX_REQUEST_TEXT) {
                continue;
            }
            lists++;
            assertTrue(s.holdTasks(array, pattern, b % 3 == 2).ok());
            assertTrue(holders(array, n).size() <= 3, "after hold " + b + ": " + holders(array, n).size());
        }
        assertTrue(lists >= 10, lists + " patterns fit a request");
        for (int b = 0; b < 17; b++) {
            String pattern = bitPattern(b, n);
            if (pattern.length() <= ArrayIndexes.MAX_REQUEST_TEXT) {
                s.releaseTasks(array, pattern, true);
                assertTrue(holders(array, n).size() <= 3, "after release " + b + ": " + holders(array, n).size());
            }
        }
    }

    @Test
    void tasksHeldAndReleasedInTurnComeBackToTheArraysRecordHoweverOften() {
        int n = 3_000;
        long array = s.submit(CoreScenario.spec().array("0-" + (n - 1)));
        // Past the bound: each released part once stayed beside the array's record, alike, and the 1,000th refused.
        for (int k = 1; k <= TaskListControl.MOST_PARTS + 100; k++) {
            assertTrue(s.holdTasks(array, (2 * k) + "," + (2 * k + 1), false).ok(), "hold " + k);
            assertTrue(holders(array, n).size() <= 2, "after hold " + k + ": " + holders(array, n).size());
            assertTrue(s.releaseTasks(array, (2 * k) + "," + (2 * k + 1), false).ok(), "release " + k);
            assertEquals(List.of(array), holders(array, n).stream().map(JobRecord::id).toList(),
                    "after release " + k + " every task is back in the array's record");
        }
        assertEquals("0-" + (n - 1), s.job(array).array().pending().toString());
        assertTrue(s.stored.values().stream().allMatch(j -> j.id() == array || j.array() == null
                || j.array().taskId() != null), "no emptied part is left stored");
    }

    /**
     * Review 136 L1: a task list over a million-task array was worked out by listing all its tasks, tens of
     * milliseconds under the scheduler's lock for one task; on the records' ranges it costs the list. Prints the
     * times of the core's decisions (benchmarks.md, "Holding part of a large array").
     */
    @Test
    void aListHeldAndReleasedOnAMillionTaskArrayLeavesItsOneRange() {
        int n = 1_000_000;
        long array = s.submit(CoreScenario.spec().array("0-" + (n - 1)));
        for (String list : List.of("5", "0-999999:2")) {
            StringBuilder took = new StringBuilder();
            for (int round = 0; round < 5; round++) {
                long began = System.nanoTime();
                assertTrue(s.holdTasks(array, list, false).ok());
                long held = System.nanoTime();
                assertEquals(2, holders(array, n).size(), "after hold " + list);
                long releasing = System.nanoTime();
                assertTrue(s.releaseTasks(array, list, false).ok());
                took.append(String.format(" hold %.1f ms, release %.1f ms;", (held - began) / 1e6,
                        (System.nanoTime() - releasing) / 1e6));
                assertEquals(List.of(array), holders(array, n).stream().map(JobRecord::id).toList());
                assertEquals("0-999999", s.job(array).array().pending().toString());
            }
            System.out.println("task list " + list + " of 0-999999, five rounds:" + took);
        }
    }

    /**
     * The same on records whose stepped ranges each span the whole array: 200 parts of 0-999999:200 (k-999999:200
     * for each k) that differ by time limit, and a list naming every task. Each record is walked by its own tasks,
     * not by the listed ones across its span, which was 200 times a million. Prints the times (benchmarks.md).
     */
    @Test
    void aListOverRecordsThatEachSpanTheArrayCostsTheirTasks() {
        int n = 1_000_000;
        long array = s.submit(CoreScenario.spec().array("0-" + (n - 1)));
        for (int k = 1; k < 200; k++) {
            assertTrue(s.holdTasks(array, k + "-999999:200", false).ok());
            int t = k;
            long part = holders(array, n).stream().filter(h -> h.id() != array && h.array().pending().contains(t))
                    .findFirst().orElseThrow().id();
            s.apply(s.core.control().update(new ControlRequest.UpdateJob(part, null, 600L + k, null, null, null))
                    .decisions());
        }
        assertEquals(200, holders(array, n).size());
        StringBuilder took = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            long began = System.nanoTime();
            assertEquals("0-999999", s.holdTasks(array, "0-999999", true).changed().toString());
            long held = System.nanoTime();
            assertTrue(holders(array, n).stream().allMatch(h -> JobSpec.HOLD_ADMIN.equals(h.spec().hold())));
            long releasing = System.nanoTime();
            assertEquals("0-999999", s.releaseTasks(array, "0-999999", true).changed().toString());
            took.append(String.format(" hold %.1f ms, release %.1f ms;", (held - began) / 1e6,
                    (System.nanoTime() - releasing) / 1e6));
            assertTrue(holders(array, n).stream().allMatch(h -> h.spec().hold() == null));
            assertEquals(200, holders(array, n).size());
        }
        System.out.println("list 0-999999 over 200 records of 0-999999:200, three rounds:" + took);
    }

    /**
     * Review 136 L2: records kept back to a later time are never joined, so a list over part of each makes a new
     * record of each, alike or not. With the clock stepped back past a release, 600 alike held parts of two tasks
     * once passed the quick check (601 records and two specs) and a list of one task of each made 1,201 records.
     */
    @Test
    void recordsThatCannotBeJoinedCountTwiceWhenAListSplitsEach() {
        int n = 3_000;
        long array = s.submit(CoreScenario.spec().array("0-" + (n - 1)));
        s.apply(s.core.control().hold(new ControlRequest.HoldJob(array, null, null, false, null)).decisions());
        s.apply(s.core.control().release(new ControlRequest.ReleaseJob(array, null, null, false, null)).decisions());
        s.clock.advance(java.time.Duration.ofHours(-1));
        for (int k = 1; k <= 600; k++) {
            assertTrue(s.holdTasks(array, (2 * k) + "," + (2 * k + 1), false).ok(), "hold " + k);
        }
        assertEquals(601, holders(array, n).size(), "each held pair a part of its own, kept back like the array");

        ClientReply.ControlResult r = s.holdTasks(array, "2-1200:2", true);

        assertFalse(r.ok(), "refused: " + r);
        assertTrue(r.reason().contains("would make 1201, more than 1000"), r.reason());
        assertEquals(601, holders(array, n).size(), "nothing changed");
    }

    @Test
    void recordsThatAWholeArrayChangeMakesAlikeJoinTheArraysRecord() {
        long array = s.submit(CoreScenario.spec().array("0-29"));
        s.holdTasks(array, "1-3", false);
        s.holdTasks(array, "10-12", true);
        assertEquals(3, holders(array, 30).size());

        s.apply(s.core.control().release(new ControlRequest.ReleaseJob(array, null, null, true, null)).decisions());

        assertEquals(List.of(array), holders(array, 30).stream().map(JobRecord::id).toList());
        assertEquals("0-29", s.job(array).array().pending().toString());
    }

    @Test
    void aPartMadeAndEmptiedByOneListIsNeverStored() {
        long array = s.submit(CoreScenario.spec().array("0-29"));
        s.holdTasks(array, "10-19", false);
        long held = holders(array, 30).stream().filter(h -> h.id() != array).findFirst().orElseThrow().id();

        // Tasks 5-9 leave the array's record in a new part, admin-held; then the user-held part, all listed, becomes
        // admin-held itself: the new part joins it, the older one, and was never more than a step of the decision.
        var o = s.core.control().hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse("5-19"), true, null));
        Decisions d = o.decisions();
        s.apply(d);

        assertTrue(o.result().ok());
        assertEquals("5-19", o.result().changed().toString());
        assertTrue(d.inserted().isEmpty() && d.dropped().isEmpty(), "nothing stored for the new part");
        assertTrue(d.events().isEmpty(), "nor announced: " + d.events());
        List<JobRecord> after = holders(array, 30);
        assertEquals(List.of(array, held), after.stream().map(JobRecord::id).toList());
        assertEquals("5-19", s.job(held).array().pending().toString());
        assertEquals(JobSpec.HOLD_ADMIN, s.job(held).spec().hold());
    }

    @Test
    void anArrayIsNeverSplitPastTheBoundAndAListThatWouldIsRefusedWhole() {
        int n = 3_000;
        long array = s.submit(CoreScenario.spec().array("0-" + (n - 1)));
        // Each round makes one more record that differs from all others: a held part, then given its own limit.
        for (int task = 1; holders(array, n).size() < TaskListControl.MOST_PARTS; task++) {
            assertTrue(s.holdTasks(array, "" + task, false).ok());
            int t = task;
            long part = holders(array, n).stream().filter(h -> h.id() != array && h.array().pending().contains(t))
                    .findFirst().orElseThrow().id();
            s.apply(s.core.control().update(new ControlRequest.UpdateJob(part, null, 600L + task, null, null, null))
                    .decisions());
        }
        JobSpec before = s.job(array).spec();
        String pending = s.job(array).array().pending().toString();

        ClientReply.ControlResult r = s.holdTasks(array, "2999", false);

        assertFalse(r.ok());
        assertTrue(r.reason().contains("would make " + (TaskListControl.MOST_PARTS + 1) + ", more than "
                + TaskListControl.MOST_PARTS), r.reason());
        assertNull(r.changed());
        assertEquals(TaskListControl.MOST_PARTS, holders(array, n).size(), "nothing was split");
        assertEquals(before, s.job(array).spec());
        assertEquals(pending, s.job(array).array().pending().toString());

        JobRecord part = holders(array, n).stream().filter(h -> h.id() != array).findFirst().orElseThrow();
        ClientReply.ControlResult whole = s.releaseTasks(array, part.array().pending().toString(), false);
        assertTrue(whole.ok(), "a whole part can still be released: " + whole.reason());
        assertEquals(TaskListControl.MOST_PARTS, holders(array, n).size());
    }

    @Test
    void aListOverSeveralPartsJoinsTheirTasksInOnePartAndAHoldOfHeldTasksWritesNothing() {
        long array = s.submit(CoreScenario.spec().array("0-99"));
        s.holdTasks(array, "10-19", false);
        s.releaseTasks(array, "10-19", false);
        s.holdTasks(array, "30-39", false);
        s.releaseTasks(array, "30-39", false);
        int records = holders(array, 100).size();

        s.holdTasks(array, "5,15,35", false);
        assertEquals(records + 1, holders(array, 100).size(), "one new part for the three, not one per record");
        int changes = s.changes.size();
        assertTrue(s.holdTasks(array, "5,15,35", false).ok());
        assertEquals(changes, s.changes.size(), "a hold of held tasks changes nothing");

        BitSet held = new BitSet();
        holders(array, 100).stream().filter(h -> h.spec().hold() != null)
                .forEach(h -> h.array().pending().ids().forEachRemaining((int t) -> held.set(t)));
        assertEquals("{5, 15, 35}", held.toString());
    }
}
