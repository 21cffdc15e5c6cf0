package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
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
    void anArrayIsNeverSplitPastTheBoundAndAListThatWouldIsRefusedWhole() {
        int n = 3_000;
        long array = s.submit(CoreScenario.spec().array("0-" + (n - 1)));
        // Each round makes one more record: a held part (no held one exists to join), then released whole, in place.
        for (int task = 1; holders(array, n).size() < TaskListControl.MOST_PARTS; task++) {
            assertTrue(s.holdTasks(array, "" + task, false).ok());
            assertTrue(s.releaseTasks(array, "" + task, false).ok());
        }
        JobSpec before = s.job(array).spec();
        String pending = s.job(array).array().pending().toString();

        ClientReply.ControlResult r = s.holdTasks(array, "2999", false);

        assertFalse(r.ok());
        assertTrue(r.reason().contains("already split into " + TaskListControl.MOST_PARTS), r.reason());
        assertNull(r.changed());
        assertEquals(TaskListControl.MOST_PARTS, holders(array, n).size(), "nothing was split");
        assertEquals(before, s.job(array).spec());
        assertEquals(pending, s.job(array).array().pending().toString());

        JobRecord part = holders(array, n).stream().filter(h -> h.id() != array).findFirst().orElseThrow();
        ClientReply.ControlResult whole = s.holdTasks(array, part.array().pending().toString(), false);
        assertTrue(whole.ok(), "a whole part can still be held: " + whole.reason());
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
