package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a task list does to an array's records of pending tasks is worked out on their ranges (review 136 L1: a
 * request naming one task of a million-task array listed all million), yet answers exactly as listing every id did:
 * {@link ArrayIndexes#selected} the same ids, {@link ArrayIndexes#withoutSorted} and
 * {@link ArrayIndexes#unionOfDisjoint} the same ids and the same text.
 */
class ArrayIndexesOnRangesTest {

    /** A set cut into a few disjoint sets, by blocks (ranges side by side) or id by id (interleaved). */
    @ParameterizedTest
    @MethodSource("dev.cadre.protocol.ArrayIndexesWithoutTest#seeds")
    void joinsDisjointSetsAsListingEveryIdDid(long seed) {
        Random rnd = new Random(seed);
        int[] ids = IntStream.range(0, 1 + rnd.nextInt(120)).map(i -> rnd.nextInt(200)).sorted().distinct()
                .toArray();
        int parts = 1 + rnd.nextInt(4);
        List<List<Integer>> cut = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            cut.add(new ArrayList<>());
        }
        boolean blocks = rnd.nextBoolean();
        int part = 0;
        for (int id : ids) {
            if (!blocks || rnd.nextInt(10) == 0) {
                part = rnd.nextInt(parts);
            }
            cut.get(part).add(id);
        }
        List<ArrayIndexes> sets = cut.stream().map(c -> ArrayIndexes.ofSorted(c.stream().mapToInt(i -> i).toArray()))
                .toList();
        ArrayIndexes expected = ArrayIndexes.ofSorted(ids);
        ArrayIndexes got = ArrayIndexes.unionOfDisjoint(sets);
        assertEquals(expected.toString(), got.toString(), "seed " + seed + ": " + sets);
        assertEquals(expected.count(), got.count(), "seed " + seed + ": " + sets);
    }

    /** Random lists, some ids of them already handled, against random sets of ranges and steps. */
    @ParameterizedTest
    @MethodSource("dev.cadre.protocol.ArrayIndexesWithoutTest#seeds")
    void selectsAndDropsListedIdsAsListingEveryIdDid(long seed) {
        Random rnd = new Random(seed);
        ArrayIndexes set = ArrayIndexes.parse(ArrayIndexesWithoutTest.randomText(rnd));
        BitSet listed = new BitSet();
        BitSet skipped = new BitSet();
        int density = 1 + rnd.nextInt(6);
        for (int i = 0; i < 120; i++) {
            if (rnd.nextInt(density) == 0) {
                listed.set(i);
            }
            if (rnd.nextInt(5) == 0) {
                skipped.set(i);
            }
        }
        List<Integer> in = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        set.ids().forEachRemaining((int i) -> (listed.get(i) && !skipped.get(i) ? in : out).add(i));
        int[] selected = set.selected(listed, skipped);
        assertEquals(in, IntStream.of(selected).boxed().toList(), "seed " + seed + ": " + set);
        ArrayIndexes expected = ArrayIndexes.ofSorted(out.stream().mapToInt(i -> i).toArray());
        ArrayIndexes rest = set.withoutSorted(selected);
        assertEquals(expected.toString(), rest.toString(), "seed " + seed + ": " + set + " without " + in);
        assertEquals(expected.count(), rest.count(), "seed " + seed + ": " + set + " without " + in);
    }

    /** Counts the ids each search of the list passes over: what selecting costs, without timing it. */
    private static final class CountedList extends BitSet {
        long passed;

        @Override
        public int nextSetBit(int from) {
            int found = super.nextSetBit(from);
            passed += (found < 0 ? Math.max(length(), from) : found) - from + 1;
            return found;
        }
    }

    /**
     * Review 137 H1: a record of 333,333 ranges (what holding 0-999999:3 leaves of 0-999999) and a list naming one
     * id above them all. Each range searched the list from its own start, past its end, up to that id: 18 s under
     * the scheduler's lock for one `scontrol release`. One cursor passes over the list once.
     */
    @Test
    void aListIsPassedOverOnceHoweverManyRangesTheSetHas() {
        int[] everyThird = IntStream.rangeClosed(0, 333_333).map(i -> 3 * i).toArray();
        ArrayIndexes rest = ArrayIndexes.parse("0-999999").withoutSorted(everyThird);
        for (int id : new int[] {999_998, 1_000_000, ArrayIndexes.MAX_INDEX}) {
            CountedList listed = new CountedList();
            listed.set(id);
            int[] got = rest.selected(listed, new BitSet());
            assertEquals(id == 999_998 ? List.of(id) : List.of(), IntStream.of(got).boxed().toList());
            assertTrue(listed.passed <= 2L * (id + 1), "passed over " + listed.passed + " ids for list {" + id + "}");
        }
    }

    @Test
    void aTaskRejoiningAMillionTaskArrayLeavesOneRange() {
        ArrayIndexes whole = ArrayIndexes.parse("0-999999");
        BitSet five = new BitSet();
        five.set(5);
        assertEquals(List.of(5), IntStream.of(whole.selected(five, new BitSet())).boxed().toList());
        assertEquals("0-4,6-999999", whole.withoutSorted(new int[] {5}).toString());
        assertEquals(whole, whole.withoutSorted(new int[0]));
        assertEquals(0, ArrayIndexes.parse("3,9").withoutSorted(new int[] {3, 9}).count());
        ArrayIndexes rest = ArrayIndexes.parse("0-999999").without(5);
        assertEquals("0-999999", ArrayIndexes.unionOfDisjoint(List.of(rest, ArrayIndexes.parse("5"))).toString());
        assertEquals("0-999999", ArrayIndexes.unionOfDisjoint(List.of(ArrayIndexes.parse("0-999999:2"),
                ArrayIndexes.parse("1-999999:2"))).toString());
        assertEquals("0-4,6-10", ArrayIndexes.unionOfDisjoint(List.of(ArrayIndexes.parse("0-4"),
                ArrayIndexes.parse("6-10"), ArrayIndexes.ofSorted(new int[0]))).toString());
    }
}
