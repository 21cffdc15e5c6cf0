package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

/** Which CPUs an attempt is bound to, and when the node binds none. */
class CpuChoiceTest {
    private static final SortedSet<Integer> FOUR = CpuList.parse("0-3");

    @Test
    void theLowestFreeCpusAreChosenAsManyAsTheSlotHas() {
        assertEquals(Optional.of(CpuList.parse("0")), CpuChoice.choose(FOUR, Set.of(), 1, false));
        assertEquals(Optional.of(CpuList.parse("0-1")), CpuChoice.choose(FOUR, Set.of(), 2, false));
        assertEquals(Optional.of(CpuList.parse("1,3")), CpuChoice.choose(FOUR, Set.of(0, 2), 2, false));
        assertEquals(Optional.of(CpuList.parse("2")), CpuChoice.choose(FOUR, Set.of(0, 1), 1, false));
        assertEquals(Optional.of(FOUR), CpuChoice.choose(FOUR, Set.of(), 4, false));
    }

    @Test
    void onlyCpusTheNodeMayRunOnAreChosen() {
        SortedSet<Integer> allowed = CpuList.parse("4-5,8");
        assertEquals(Optional.of(CpuList.parse("5,8")), CpuChoice.choose(allowed, Set.of(4, 0, 1), 2, false));
    }

    @Test
    void noCpuIsGivenTwiceWhileItsAttemptRuns() {
        Set<Integer> held = new HashSet<>();
        for (int cpus : List.of(1, 2, 1)) {
            SortedSet<Integer> chosen = CpuChoice.choose(FOUR, held, cpus, false).orElseThrow();
            assertEquals(cpus, chosen.size());
            chosen.forEach(cpu -> assertTrue(held.add(cpu), "CPU " + cpu + " given twice"));
        }
        assertEquals(Set.of(0, 1, 2, 3), held);
        assertEquals(Optional.empty(), CpuChoice.choose(FOUR, held, 1, false));
    }

    @Test
    void anAttemptThatCannotHaveItsCpusRunsUnbound() {
        assertEquals(Optional.empty(), CpuChoice.choose(FOUR, Set.of(0, 1, 2), 2, false), "one free, two asked");
        assertEquals(Optional.empty(), CpuChoice.choose(FOUR, Set.of(), 5, false), "more than the node has");
        assertEquals(Optional.empty(), CpuChoice.choose(FOUR, Set.of(), 0, false), "no CPU on this node");
    }

    @Test
    void aJobWithItsNodesWholeHasEveryCpu() {
        assertEquals(Optional.of(FOUR), CpuChoice.choose(FOUR, Set.of(), 1, true));
        assertEquals(Optional.of(FOUR), CpuChoice.choose(FOUR, Set.of(1), 4, true));
    }

    @Test
    void theNodeBindsOnlyWhereEachCoreItDeclaresIsACpuItMayRunOn() {
        assertEquals(Optional.empty(), CpuChoice.whyUnbound(CpuChoice.Mode.CORES, 4, FOUR));
        assertEquals(Optional.empty(), CpuChoice.whyUnbound(CpuChoice.Mode.CORES, 2, FOUR));
        assertEquals(Optional.of("the node declares 32 cores and may run on 4 CPUs (0-3): jobs could not each have"
                + " CPUs of their own"), CpuChoice.whyUnbound(CpuChoice.Mode.CORES, 32, FOUR));
        assertEquals(Optional.of("--cpu-binding none"), CpuChoice.whyUnbound(CpuChoice.Mode.NONE, 4, FOUR));
        assertTrue(CpuChoice.whyUnbound(CpuChoice.Mode.CORES, 1, Set.of()).orElseThrow().contains("unknown"));
    }

    @Test
    void anAdoptedAttemptHoldsTheCpusItsWrapperRunsOnWhenTheyAreItsOwn() {
        assertEquals(CpuList.parse("1"), CpuChoice.heldByAdopted(CpuList.parse("1"), 1, false));
        assertEquals(CpuList.parse("0-3"), CpuChoice.heldByAdopted(CpuList.parse("0-3"), 1, true));
        assertEquals(Set.of(), CpuChoice.heldByAdopted(CpuList.parse("0-3"), 1, false), "it ran unbound");
        assertEquals(Set.of(), CpuChoice.heldByAdopted(Set.of(), 1, false), "its wrapper is gone");
    }

    @Test
    void theModeIsNamedAsTheOptionTakesIt() {
        assertEquals(CpuChoice.Mode.CORES, CpuChoice.Mode.byName("cores"));
        assertEquals(CpuChoice.Mode.NONE, CpuChoice.Mode.byName("none"));
        assertEquals("--cpu-binding must be none or cores, not 'threads'",
                assertThrows(IllegalArgumentException.class, () -> CpuChoice.Mode.byName("threads")).getMessage());
    }
}
