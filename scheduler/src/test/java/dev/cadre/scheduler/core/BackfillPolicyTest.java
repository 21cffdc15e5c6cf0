package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The three policies on the textbook cases: what starts now and who waits why. */
class BackfillPolicyTest {
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    static PlacementPolicy.Candidate queued(long id, int cores, long limitSeconds) {
        JobSpec spec = ResourceFitTest.job().name("j" + id).tasks(1).cpusPerTask(cores)
                .timeLimitSeconds(limitSeconds).build();
        return new PlacementPolicy.Candidate(new JobRecord(id, "k" + id, spec, JobState.PENDING, "None", 0, null,
                false, null, null, NOW, null, null), 1);
    }

    /** A job on node n1 using the given cores until NOW + seconds. */
    static Release running(int cores, long seconds) {
        return new Release(NOW.plusSeconds(seconds), new Allocation(List.of(new Allocation.NodeSlots("id1", "n1", 1,
                cores, 0, 0))), false);
    }

    /** Node n1 with 8 cores, of which the running jobs use some. */
    static FreeResources freeAfter(List<Release> running) {
        FreeResources free = ResourceFitTest.nodes(8);
        running.forEach(r -> free.take(r.allocation(), false));
        return free;
    }

    /** Conservative backfill with the default resolution and window. */
    static ConservativeBackfillPolicy conservative(int depth) {
        return new ConservativeBackfillPolicy(depth, SchedulerSettings.DEFAULT_BACKFILL_RESOLUTION,
                SchedulerSettings.DEFAULT_BACKFILL_WINDOW);
    }

    static List<Long> started(PlacementPolicy.Result r) {
        return r.placements().stream().map(Placement::jobId).collect(Collectors.toList());
    }

    /** 6 of 8 cores busy for an hour; job 1 (4 cores) is reserved at +1 h; job 2 ends before that and starts. */
    @Test
    void easyStartsLaterJobsThatDoNotDelayTheReservedOne() {
        List<Release> running = List.of(running(6, 3600));
        var queue = List.of(queued(1, 4, 600), queued(2, 2, 1800), queued(3, 2, 7200));
        var r = new EasyBackfillPolicy(100).place(queue, freeAfter(running), running, NOW);
        assertEquals(List.of(2L), started(r), "job 2 takes the last 2 free cores");
        assertEquals("Resources", r.waitReasons().get(1L));
        assertEquals("Priority", r.othersWait());
    }

    @Test
    void easyLetsALongJobStartWhenTheReservedJobStillFitsBesideIt() {
        // 4 busy for an hour; job 1 wants 6 (reserved at +1 h, when 8 are free); job 2 (2 cores, long) leaves 6.
        List<Release> running = List.of(running(4, 3600));
        var queue = List.of(queued(1, 6, 600), queued(2, 2, 86_400), queued(3, 2, 86_400));
        var r = new EasyBackfillPolicy(100).place(queue, freeAfter(running), running, NOW);
        assertEquals(List.of(2L), started(r), "job 3 as well would leave job 1 only 4 cores at +1 h");
    }

    @Test
    void fcfsNeverOvertakes() {
        List<Release> running = List.of(running(6, 3600));
        var queue = List.of(queued(1, 4, 600), queued(2, 1, 60));
        var r = new FcfsPolicy().place(queue, freeAfter(running), running, NOW);
        assertEquals(List.of(), started(r));
        assertEquals(Map.of(1L, "Resources"), r.waitReasons());
    }

    @Test
    void conservativeProtectsEveryReservationNotOnlyTheFirst() {
        // 6 busy for an hour. Job 1 (8 cores) is reserved for +1 h to +2 h; job 2 (2 cores, 10 min) ends before and
        // starts; jobs 3, 4 and 5 would all overlap job 1's window or a later reservation, and get their own.
        List<Release> running = List.of(running(6, 3600));
        var queue = List.of(queued(1, 8, 3600), queued(2, 2, 600), queued(3, 2, 3 * 3600), queued(4, 8, 600),
                queued(5, 1, 90 * 60));
        var r = conservative(100).place(queue, freeAfter(running), running, NOW);
        assertEquals(List.of(2L), started(r));
        assertEquals("Resources", r.waitReasons().get(1L));
        assertEquals("Priority", r.waitReasons().getOrDefault(4L, r.othersWait()));
    }

    @Test
    void easyReservesForTheFirstWaitingJobOnly() {
        // Job 1 (6 cores) is reserved at +1 h, job 2 (8 cores) could start at +2 h. Job 3 (1 core, 2.5 h) fits beside
        // job 1 and starts under EASY, although it pushes job 2 back to +2.5 h; conservative backfill does not.
        List<Release> running = List.of(running(7, 3600));
        var queue = List.of(queued(1, 6, 3600), queued(2, 8, 3600), queued(3, 1, 9000));
        var easy = new EasyBackfillPolicy(100).place(queue, freeAfter(running), running, NOW);
        assertEquals(List.of(3L), started(easy));
        var conservative = conservative(100).place(queue, freeAfter(running), running, NOW);
        assertEquals(List.of(), started(conservative), "job 3 would push job 2 back from +1 h");
    }

    @Test
    void conservativeReservesNothingBeyondItsWindow() {
        // 6 busy for two days. Job 1 (8 cores) could start only then, past the one-day window: it gets no
        // reservation, and job 2 (2 cores, three days) starts. Planning three days ahead, job 1 is protected.
        List<Release> running = List.of(running(6, 2 * 86_400));
        var queue = List.of(queued(1, 8, 3600), queued(2, 2, 3 * 86_400));
        var r = conservative(100).place(queue, freeAfter(running), running, NOW);
        assertEquals(List.of(2L), started(r));
        assertEquals("Resources", r.waitReasons().get(1L));
        var wider = new ConservativeBackfillPolicy(100, Duration.ofMinutes(1), Duration.ofDays(3));
        assertEquals(List.of(), started(wider.place(queue, freeAfter(running), running, NOW)));
    }

    @Test
    void conservativeCountsAStartedJobBusyUntilTheStepAfterItsLimit() {
        // 4 busy until +60 s, so job 1 (8 cores) is reserved at +60 s. Job 2 (4 cores, 90 s) would hold past that;
        // rounding its end down to +60 s would start it and push job 1 back. Job 3 (4 cores, 60 s) ends in time.
        List<Release> running = List.of(running(4, 60));
        var queue = List.of(queued(1, 8, 600), queued(2, 4, 90), queued(3, 4, 60));
        assertEquals(List.of(3L), started(conservative(100).place(queue, freeAfter(running), running, NOW)));
    }

    @Test
    void anArrayOffersOneCopyPerStartableTask() {
        PlacementPolicy.Candidate array = new PlacementPolicy.Candidate(queued(1, 2, 60).job(), 5);
        var r = new EasyBackfillPolicy(100).place(List.of(array), ResourceFitTest.nodes(8), List.of(), NOW);
        assertEquals(4, r.placements().size(), "8 cores hold four 2-core tasks");
    }

    @Test
    void backfillDepthBoundsThePass() {
        // Job 1 needs all 8 cores at +1 h; jobs 2-51 would hold a core past that; job 52 would end before it.
        List<Release> running = List.of(running(4, 3600));
        List<PlacementPolicy.Candidate> queue = new ArrayList<>(List.of(queued(1, 8, 60)));
        for (int i = 2; i <= 51; i++) {
            queue.add(queued(i, 1, 7200));
        }
        queue.add(queued(52, 1, 60));
        for (IntFunction<PlacementPolicy> policy : List.<IntFunction<PlacementPolicy>>of(EasyBackfillPolicy::new,
                BackfillPolicyTest::conservative)) {
            assertEquals(List.of(), started(policy.apply(10).place(queue, freeAfter(running), running, NOW)));
            assertEquals(List.of(52L), started(policy.apply(100).place(queue, freeAfter(running), running, NOW)));
        }
    }
}
