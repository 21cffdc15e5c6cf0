package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A task-list answer over a million-task array whose tasks ended out of order names millions of characters of
 * scattered ids: it must still fit a message, so that the client, and a repeat of the request, can read what was
 * committed. Past the bound the sets are cut between ranges and the answer counts what each leaves out.
 */
class AnsweredTaskSetsTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    /** An array of tasks 0-999999 of which only a random tenth is still pending: the rest have ended. */
    private long scatteredArray() {
        long id = 1;
        BitSet pending = new BitSet();
        new Random(7).ints(100_000, 0, 1_000_000).forEach(pending::set);
        var spec = CoreScenario.spec().array("0-999999").build();
        JobRecord array = new JobRecord(id, "k" + id, spec, JobState.PENDING, "None", 0, null, false, null, null,
                s.clock.instant(), null, null, null, new ArrayPart(id, null, TaskListCancel.set(pending)));
        s.stored.put(id, array);
        s.core.admitted(array);
        return id;
    }

    private static <T extends ClientReply> T readBack(T sent, Class<T> type) throws ProtocolException {
        String json = MessageCodec.encode(sent);
        assertTrue(json.length() <= MessageCodec.MAX_BYTES, "the answer is " + json.length() + " characters");
        T read = type.cast(MessageCodec.decode(json, ClientReply.class));
        assertEquals(sent, read);
        return read;
    }

    @Test
    void aCancelOfAScatteredMillionFitsAMessageAndCountsWhatItLeavesOut() throws ProtocolException {
        long array = scatteredArray();
        var o = s.core.control().cancel(new ControlRequest.CancelJob(array, null, ArrayIndexes.parse("0-999999")));
        s.apply(o.decisions());

        ClientReply.CancelResult r = readBack(o.result(), ClientReply.CancelResult.class);

        assertTrue(r.ok(), r.reason());
        assertNotNull(r.omitted(), "sets of several MiB cannot be named whole");
        int cancelled = r.cancelled().count() + r.omitted().getOrDefault("cancelled", 0);
        int ended = r.ended().count() + r.omitted().getOrDefault("ended", 0);
        assertEquals(1_000_000, cancelled + ended, "every listed task is named or counted once");
        assertTrue(cancelled > 90_000 && cancelled < 100_000, "the pending tenth was cancelled: " + cancelled);
        assertNull(r.missing());
        assertEquals(List.of(), s.inState(JobState.PENDING), "the change was made whole, though the answer is cut");
    }

    @Test
    void aHoldOfAScatteredMillionFitsAMessageAndItsRefusalNamesAShortSet() throws ProtocolException {
        long array = scatteredArray();
        s.node("n1", 4);
        s.schedule();

        ClientReply.ControlResult r = readBack(s.holdTasks(array, "0-999999", false), ClientReply.ControlResult.class);

        assertTrue(r.ok(), r.reason());
        assertNotNull(r.omitted());
        int changed = r.changed().count() + r.omitted().getOrDefault("changed", 0);
        int ended = r.ended().count() + r.omitted().getOrDefault("ended", 0);
        int refused = r.refused().stream().mapToInt(g -> g.tasks().count() + (g.omitted() == null ? 0 : g.omitted()))
                .sum();
        assertEquals(1_000_000, changed + ended + refused);
        assertTrue(r.refused().stream().allMatch(g -> g.reason().length() < AnsweredTaskSets.MOST_NAMED + 200),
                "a refusal's reason does not repeat a long set whole");
    }

    @Test
    void setsThatFitAreNamedWhole() {
        BitSet a = new BitSet();
        a.set(1, 6);
        a.set(9);
        List<AnsweredTaskSets.Shown> shown = AnsweredTaskSets.shown(List.of(a, new BitSet()), 100);
        assertEquals("1-5,9", shown.get(0).tasks().toString());
        assertEquals(0, shown.get(0).omitted());
        assertNull(shown.get(1).tasks());
        assertEquals(Map.of(), AnsweredTaskSets.omitted(shown, "changed", "missing"));
    }

    @Test
    void pastTheBoundTheShortSetStaysWholeAndTheLongOneIsCutBetweenRanges() {
        BitSet shortSet = new BitSet();
        shortSet.set(3);
        BitSet longSet = new BitSet();
        for (int i = 0; i < 1000; i += 3) {
            longSet.set(i, i + 2);
        }
        List<AnsweredTaskSets.Shown> shown = AnsweredTaskSets.shown(List.of(longSet, shortSet), 41);
        assertEquals("3", shown.get(1).tasks().toString());
        String cut = shown.get(0).tasks().toString();
        assertTrue(cut.length() <= 40 && !cut.endsWith(","), cut);
        assertTrue(shown.get(0).omitted() > 0);
        assertEquals(668, shown.get(0).tasks().count() + shown.get(0).omitted());
        assertEquals(Map.of("changed", shown.get(0).omitted()), AnsweredTaskSets.omitted(shown, "changed", "missing"));
    }

    @Test
    void aSetIsNeverCutToNothing() {
        BitSet a = new BitSet();
        a.set(100_000);
        a.set(200_000);
        AnsweredTaskSets.Shown shown = AnsweredTaskSets.shown(List.of(a), 3).get(0);
        assertEquals("100000", shown.tasks().toString());
        assertEquals(1, shown.omitted());
    }

    @Test
    void aLongSetIsNamedByItsFirstRangesAndItsCount() {
        BitSet a = new BitSet();
        for (int i = 0; i < 10_000; i += 3) {
            a.set(i);
            a.set(i + 1);
        }
        String named = AnsweredTaskSets.named(12, TaskListCancel.set(a));
        assertTrue(named.startsWith("12_[0-1,3-4,") && named.endsWith(",...] (6668 tasks)"), named);
        assertTrue(named.length() < AnsweredTaskSets.MOST_NAMED + 40, named);
        assertEquals("12_[3-4]", AnsweredTaskSets.named(12, ArrayIndexes.parse("3-4")));
        assertEquals("12_7", AnsweredTaskSets.named(12, ArrayIndexes.parse("7")));
    }

    /** 21 characters of steps name 4.6 MB of ranges once read: a reason repeats its first ranges and count only. */
    @Test
    void aShortListOfStepsThatChangesNothingIsAnsweredWithinAMessage() throws ProtocolException {
        long plain = s.submit(CoreScenario.spec());
        ArrayIndexes steps = ArrayIndexes.parse("0-999999:3,1-999999:3");

        var cancel = s.core.control().cancel(new ControlRequest.CancelJob(plain, null, steps, null)).result();
        var hold = s.core.control().hold(new ControlRequest.HoldJob(plain, null, steps, false, null)).result();

        readBack(cancel, ClientReply.CancelResult.class);
        readBack(hold, ClientReply.ControlResult.class);
        assertTrue(cancel.reason().length() < AnsweredTaskSets.MOST_NAMED + 100, cancel.reason());
        assertTrue(hold.reason().endsWith(",... (666667 tasks)"), hold.reason());
    }
}
