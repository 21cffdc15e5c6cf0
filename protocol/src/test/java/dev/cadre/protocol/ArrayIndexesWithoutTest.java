package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ArrayIndexes#without} works on ranges, yet answers exactly as listing every id, dropping one and
 * regrouping the rest did: the same ids and the same text (squeue shows it, and equality compares it).
 */
class ArrayIndexesWithoutTest {

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void dropsAnIdAsListingEveryIdDid(long seed) {
        Random rnd = new Random(seed);
        ArrayIndexes set = ArrayIndexes.parse(randomText(rnd));
        for (int round = 0; round < 12 && set.count() > 0; round++) {
            int id = rnd.nextInt(3) == 0 ? rnd.nextInt(set.max() + 3) : idAt(set, rnd.nextInt(set.count()));
            ArrayIndexes expected = byListing(set, id);
            ArrayIndexes got = set.without(id);
            assertEquals(expected.toString(), got.toString(), "seed " + seed + ": " + set + " without " + id);
            assertEquals(expected.count(), got.count(), "seed " + seed + ": " + set + " without " + id);
            set = got;
        }
    }

    @Test
    void theLastIdLeavesAnEmptySetAndAMillionIdsStayAFewRanges() {
        assertEquals(0, ArrayIndexes.parse("7").without(7).count());
        ArrayIndexes big = ArrayIndexes.parse("0-999999");
        for (int i = 0; i < 50; i++) {
            big = big.without(500_000 + i * 7);
        }
        assertEquals(1_000_000 - 50, big.count());
        assertTrue(big.toString().length() < 1000, big.toString());
        assertEquals(byListing(ArrayIndexes.parse("0-999999"), 3).toString(),
                ArrayIndexes.parse("0-999999").without(3).toString());
    }

    /**
     * Listing a million ids took about 60 ms a call, so these 2,000 calls took minutes; on ranges they take
     * milliseconds. The bound is a thousand times what they need, so a slow machine does not fail it.
     */
    @Test
    void droppingTasksCostsTheRangesNotTheIds() {
        ArrayIndexes big = ArrayIndexes.parse("0-999999");
        ArrayIndexes[] left = {big};
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 2000; i++) {
                left[0] = left[0].without(1 + i * 499);
            }
        });
        assertEquals(1_000_000 - 2000, left[0].count());
    }

    /** Lists, ranges and steps, overlapping or not, as --array takes them. */
    static String randomText(Random rnd) {
        List<String> items = new ArrayList<>();
        int n = 1 + rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            int start = rnd.nextInt(60);
            switch (rnd.nextInt(3)) {
                case 0 -> items.add(Integer.toString(start));
                case 1 -> items.add(start + "-" + (start + rnd.nextInt(30)));
                default -> items.add(start + "-" + (start + 1 + rnd.nextInt(40)) + ":" + (1 + rnd.nextInt(5)));
            }
        }
        return String.join(",", items);
    }

    private static int idAt(ArrayIndexes set, int index) {
        var ids = set.ids();
        int id = ids.nextInt();
        for (int i = 0; i < index; i++) {
            id = ids.nextInt();
        }
        return id;
    }

    /**
     * The former way: every id but the one dropped, regrouped greedily into runs of an equal step (a run of
     * two ids only with step 1), written in the --array syntax and parsed back.
     */
    private static ArrayIndexes byListing(ArrayIndexes set, int dropped) {
        List<Integer> ids = new ArrayList<>();
        set.ids().forEachRemaining((int i) -> {
            if (i != dropped) {
                ids.add(i);
            }
        });
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < ids.size()) {
            int start = ids.get(i);
            if (i + 1 == ids.size()) {
                out.add(Integer.toString(start));
                break;
            }
            int step = ids.get(i + 1) - start;
            int j = i + 1;
            while (j + 1 < ids.size() && ids.get(j + 1) - ids.get(j) == step) {
                j++;
            }
            if (j - i >= 2 || step == 1) {
                out.add(start + "-" + ids.get(j) + (step == 1 ? "" : ":" + step));
                i = j + 1;
            } else {
                out.add(Integer.toString(start));
                i++;
            }
        }
        return out.isEmpty() ? ArrayIndexes.parse("0").without(0) : ArrayIndexes.parse(String.join(",", out));
    }
}
