package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Conservative backfill's plan in steps of a resolution up to a window, and the search for a job's start. */
class ResourceProfileTest {
    static final Instant NOW = BackfillPolicyTest.NOW;
    static final Duration MINUTE = Duration.ofMinutes(1);

    /** Nodes n1.. of 8 cores, running jobs that each end at the given second on the given node. */
    static ResourceProfile profile(int nodes, Duration window, Release... running) {
        int[] cores = new int[nodes];
        java.util.Arrays.fill(cores, 8);
        FreeResources free = ResourceFitTest.nodes(cores);
        for (Release r : running) {
            free.take(r.allocation(), r.wholeNodes());
        }
        return new ResourceProfile(free, List.of(running), NOW, MINUTE, window);
    }

    static Release busy(int node, int cores, long untilSecond) {
        return new Release(NOW.plusSeconds(untilSecond), new Allocation(List.of(new Allocation.NodeSlots("id" + node,
                "n" + node, 1, cores, 0, 0))), false);
    }

    static JobSpec cores(int cores, long limitSeconds) {
        return ResourceFitTest.job().tasks(1).cpusPerTask(cores).timeLimitSeconds(limitSeconds).build();
    }

    /** The step at which the job can start, or -1 when it cannot within the window. */
    static int start(ResourceProfile profile, JobSpec spec) {
        return new EarliestStart(profile).find(spec, profile.length(Release.limitOf(spec)))
                .map(ResourceProfile.Slot::start).orElse(-1);
    }

    @Test
    void resourcesCountAsFreeFromTheFirstStepAtOrAfterTheirRelease() {
        // Rounding down would plan the job at +60 s, into cores busy until +61 s.
        assertEquals(2, start(profile(1, Duration.ofDays(1), busy(1, 8, 61)), cores(8, 60)));
        assertEquals(1, start(profile(1, Duration.ofDays(1), busy(1, 8, 60)), cores(8, 60)));
        // A job at or past its limit is being ended, but its cores are not free yet.
        assertEquals(1, start(profile(1, Duration.ofDays(1), busy(1, 8, -5)), cores(8, 60)));
        assertEquals(0, start(profile(1, Duration.ofDays(1), busy(1, 4, 600)), cores(4, 60)));
    }

    @Test
    void aJobHoldsItsResourcesUntilTheStepAfterItsLimit() {
        ResourceProfile p = profile(1, Duration.ofDays(1));
        assertEquals(1, p.length(Duration.ofSeconds(1)));
        assertEquals(1, p.length(Duration.ofSeconds(60)));
        assertEquals(2, p.length(Duration.ofSeconds(61)));
        p.reserve(new ResourceProfile.Slot(1, allocation(1, 8)), p.length(Duration.ofSeconds(61)), false);
        assertEquals(0, start(p, cores(8, 60)), "the step before the reservation is free");
        assertEquals(3, start(p, cores(8, 120)), "steps 1 and 2 are taken");
    }

    @Test
    void aJobFitsOnlyInAGapAsLongAsItsLimitAndOnANodeFreeThroughout() {
        ResourceProfile p = profile(2, Duration.ofDays(1), busy(2, 6, 3600));
        p.reserve(new ResourceProfile.Slot(5, allocation(1, 8)), 5, false);
        assertEquals(0, start(p, cores(4, 4 * 60)), "ends before n1's reservation");
        assertEquals(10, start(p, cores(4, 10 * 60)), "n1 is taken from step 5 and n2 has only 2 cores until +1 h");
        assertEquals(0, start(p, cores(2, 10 * 60)), "n2's 2 free cores hold it throughout");
        ResourceProfile.Slot slot = new EarliestStart(p).find(cores(2, 600), 10).orElseThrow();
        assertEquals("id2", slot.allocation().coordinator().nodeId());
    }

    @Test
    void aJobThatCannotStartWithinTheWindowGetsNoSlot() {
        ResourceProfile p = profile(1, Duration.ofHours(1), busy(1, 8, 2 * 3600));
        assertEquals(-1, start(p, cores(1, 60)));
        assertEquals(61, p.steps(), "steps 0 to 60: now to the end of the hour");
        assertEquals(p.steps(), p.length(Duration.ofDays(2)), "a limit past the window holds to its end");
        assertEquals(0, start(profile(1, Duration.ofHours(1), busy(1, 4, 2 * 3600)), cores(4, 86_400)),
                "beyond the window nothing is planned, so a long job is judged up to its end");
    }

    @Test
    void exclusiveJobsKeepOthersOffTheirNodes() {
        ResourceProfile p = profile(1, Duration.ofDays(1));
        p.reserve(new ResourceProfile.Slot(2, allocation(1, 8)), 3, true);
        JobSpec whole = ResourceFitTest.job().tasks(1).exclusive(true).timeLimitSeconds(60L).build();
        assertEquals(0, start(p, whole));
        assertEquals(5, start(p, cores(1, 4 * 60)), "the node is held whole over steps 2 to 4");
        p.reserve(new ResourceProfile.Slot(0, allocation(1, 1)), 1, false);
        Optional<ResourceProfile.Slot> later = new EarliestStart(p).find(whole, 1);
        assertTrue(later.isPresent() && later.get().start() == 1, "the node is not idle at step 0");
        assertEquals(8, later.get().allocation().coordinator().cpus(), "an exclusive job is given the whole node");
    }

    @Test
    void settingsRefuseAWindowShorterThanAStepOrOfTooManySteps() {
        SchedulerSettings d = SchedulerSettings.defaults(MINUTE);
        assertThrows(IllegalArgumentException.class, () -> new SchedulerSettings(d.policy(), d.backfillDepth(),
                MINUTE, Duration.ofSeconds(59), d.nodeTimeout(), d.requeueBackoff(), d.requeueBackoffCap(), true));
        assertThrows(IllegalArgumentException.class, () -> new SchedulerSettings(d.policy(), d.backfillDepth(),
                Duration.ofMillis(1), Duration.ofDays(1), d.nodeTimeout(), d.requeueBackoff(),
                d.requeueBackoffCap(), true));
    }

    static Allocation allocation(int node, int cores) {
        return new Allocation(List.of(new Allocation.NodeSlots("id" + node, "n" + node, 1, cores, 0, 0)));
    }
}
