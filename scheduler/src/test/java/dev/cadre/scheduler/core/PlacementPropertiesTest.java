package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the placement policies over random clusters, running jobs and queues, one seed per case (a
 * failure names its seed): no node is over-committed, EASY never delays the reserved start of the first waiting
 * job (nor does conservative backfill, judged at its resolution and within its window), and first come first
 * served never lets a job overtake.
 */
class PlacementPropertiesTest {
    static final Instant NOW = BackfillPolicyTest.NOW;

    static List<Long> seeds() {
        List<Long> out = new ArrayList<>();
        for (long s = 1; s <= 400; s++) {
            out.add(s);
        }
        return out;
    }

    /** A random situation: nodes, what runs on them until when, and a queue in priority order. */
    record Situation(List<NodeCapacity> nodes, List<Release> running, List<PlacementPolicy.Candidate> queue) {
        FreeResources free() {
            FreeResources f = FreeResources.idle(nodes);
            running.forEach(r -> f.take(r.allocation(), r.wholeNodes()));
            return f;
        }
    }

    static Situation situation(long seed) {
        Random rnd = new Random(seed);
        List<NodeCapacity> nodes = new ArrayList<>();
        int n = 1 + rnd.nextInt(6);
        for (int i = 1; i <= n; i++) {
            nodes.add(new NodeCapacity("id" + i, "n" + i, 1 + rnd.nextInt(16), 16_000, rnd.nextInt(3)));
        }
        // Running jobs are whatever first come first served placed of a random first queue: consistent by build.
        List<PlacementPolicy.Candidate> first = queue(rnd, 1000, 1 + rnd.nextInt(12));
        FreeResources idle = FreeResources.idle(nodes);
        List<Release> running = new ArrayList<>();
        for (PlacementPolicy.Candidate c : first) {
            var fit = ResourceFit.fit(c.job().spec(), idle);
            if (fit.isPresent()) {
                idle.take(fit.get(), c.job().spec().wholeNodes());
                running.add(new Release(NOW.plusSeconds(rnd.nextInt(36_000) - 10), fit.get(),
                        c.job().spec().wholeNodes()));
            }
        }
        return new Situation(nodes, running, queue(rnd, 1, 1 + rnd.nextInt(30)));
    }

    static List<PlacementPolicy.Candidate> queue(Random rnd, long firstId, int size) {
        List<PlacementPolicy.Candidate> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            JobSpec.Builder b = ResourceFitTest.job().name("j").tasks(1 + rnd.nextInt(8))
                    .cpusPerTask(1 + rnd.nextInt(4));
            if (rnd.nextInt(4) == 0) {
                b.nodes(1 + rnd.nextInt(3));
                b.tasks(Math.max(b.build().tasks(), b.build().nodes()));
            }
            if (rnd.nextInt(10) == 0) {
                b.exclusive(true);
            }
            if (rnd.nextInt(5) == 0) {
                b.gpusPerTask(1);
            }
            if (rnd.nextInt(10) != 0) {
                b.timeLimitSeconds(60L + rnd.nextInt(36_000));
            }
            long id = firstId + i;
            JobRecord j = new JobRecord(id, "k" + id, b.build(), JobState.PENDING, "None", 0, null, false, null, null,
                    NOW, null, null);
            out.add(new PlacementPolicy.Candidate(j, rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(3) : 1));
        }
        return out;
    }

    static List<PlacementPolicy> policies() {
        return List.of(new FcfsPolicy(), new EasyBackfillPolicy(1000), BackfillPolicyTest.conservative(1000),
                conservative(Duration.ofSeconds(1)));
    }

    /** This test's times are whole seconds, so at a resolution of a second the plan is exact. */
    static ConservativeBackfillPolicy conservative(Duration resolution) {
        return new ConservativeBackfillPolicy(1000, resolution, SchedulerSettings.DEFAULT_BACKFILL_WINDOW);
    }

    /**
     * The latest start a backfill policy may leave the first waiting job, given the start it was planned for
     * before later jobs were judged; null where the policy promises nothing. EASY keeps that start exactly.
     * Conservative backfill plans in steps of its resolution, with times rounded up, and only within its
     * window: it keeps the start rounded up to a step (a job ending within the step it is due does not
     * delay it, by the plan) for a job planned to start within the window, and promises nothing to one beyond.
     */
    static Map<PlacementPolicy, UnaryOperator<Instant>> keptStarts() {
        Map<PlacementPolicy, UnaryOperator<Instant>> out = new LinkedHashMap<>();
        out.put(new EasyBackfillPolicy(1000), planned -> planned);
        for (Duration resolution : List.of(SchedulerSettings.DEFAULT_BACKFILL_RESOLUTION, Duration.ofSeconds(1))) {
            out.put(conservative(resolution), planned -> {
                if (planned.isAfter(NOW.plus(SchedulerSettings.DEFAULT_BACKFILL_WINDOW))) {
                    return null;
                }
                long steps = Math.max(1, -Math.floorDiv(-Duration.between(NOW, planned).toNanos(),
                        resolution.toNanos()));
                return NOW.plus(resolution.multipliedBy(steps));
            });
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void noNodeIsOverCommitted(long seed) {
        Situation s = situation(seed);
        for (PlacementPolicy policy : policies()) {
            var result = policy.place(s.queue(), s.free(), s.running(), NOW);
            Map<String, long[]> used = new HashMap<>();
            Set<String> whole = new HashSet<>();
            Map<String, Integer> jobsOn = new HashMap<>();
            List<Allocation> all = new ArrayList<>();
            List<Boolean> exclusive = new ArrayList<>();
            s.running().forEach(r -> {
                all.add(r.allocation());
                exclusive.add(r.wholeNodes());
            });
            Map<Long, JobSpec> specs = new HashMap<>();
            s.queue().forEach(c -> specs.put(c.job().id(), c.job().spec()));
            for (Placement p : result.placements()) {
                all.add(p.allocation());
                exclusive.add(specs.get(p.jobId()).wholeNodes());
            }
            for (int i = 0; i < all.size(); i++) {
                for (Allocation.NodeSlots slot : all.get(i).nodes()) {
                    long[] u = used.computeIfAbsent(slot.nodeId(), k -> new long[3]);
                    u[0] += slot.cpus();
                    u[1] += slot.gpus();
                    u[2] += slot.memoryMb();
                    jobsOn.merge(slot.nodeId(), 1, Integer::sum);
                    if (exclusive.get(i)) {
                        whole.add(slot.nodeId());
                    }
                }
            }
            String where = policy.getClass().getSimpleName() + ", seed " + seed;
            for (NodeCapacity n : s.nodes()) {
                long[] u = used.getOrDefault(n.nodeId(), new long[3]);
                assertTrue(u[0] <= n.cores() && u[1] <= n.gpus() && u[2] <= n.memoryMb(),
                        where + ": " + n.nodeId() + " over-committed");
                assertFalse(whole.contains(n.nodeId()) && jobsOn.get(n.nodeId()) > 1,
                        where + ": " + n.nodeId() + " shared by an exclusive job");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void backfillNeverDelaysTheReservedJob(long seed) {
        Situation s = situation(seed);
        for (var kept : keptStarts().entrySet()) {
            PlacementPolicy policy = kept.getKey();
            var result = policy.place(s.queue(), s.free(), s.running(), NOW);
            PlacementPolicy.Candidate reserved = s.queue().stream()
                    .filter(c -> "Resources".equals(result.waitReasons().get(c.job().id()))).findFirst().orElse(null);
            if (reserved == null) {
                continue;
            }
            // The placements made before the reserved job was reached are what its reservation was planned on.
            Set<Long> ahead = new HashSet<>();
            for (PlacementPolicy.Candidate c : s.queue()) {
                ahead.add(c.job().id());
                if (c == reserved) {
                    break;
                }
            }
            Instant planned = reservedStart(s, reserved, result.placements().stream()
                    .filter(p -> ahead.contains(p.jobId())).toList());
            Instant after = reservedStart(s, reserved, result.placements());
            String where = policy.getClass().getSimpleName() + ", seed " + seed;
            Instant latest = planned == null ? null : kept.getValue().apply(planned);
            if (latest == null) {
                continue;
            }
            assertTrue(after != null && !after.isAfter(latest), where + ": job " + reserved.job().id()
                    + " was reserved for " + planned + " (kept until " + latest + ") but can now start only at "
                    + after);
        }
    }

    private static Instant reservedStart(Situation s, PlacementPolicy.Candidate reserved, List<Placement> placed) {
        FreeResources free = s.free();
        List<Release> ends = new ArrayList<>(s.running());
        Map<Long, JobSpec> specs = new HashMap<>();
        s.queue().forEach(c -> specs.put(c.job().id(), c.job().spec()));
        for (Placement p : placed) {
            JobSpec spec = specs.get(p.jobId());
            free.take(p.allocation(), spec.wholeNodes());
            ends.add(new Release(NOW.plus(Release.limitOf(spec)), p.allocation(), spec.wholeNodes()));
        }
        if (ResourceFit.fit(reserved.job().spec(), free).isPresent()) {
            return NOW;
        }
        return Reservation.plan(reserved.job().spec(), free, ends, NOW).map(Reservation::start).orElse(null);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void firstComeFirstServedNeverOvertakes(long seed) {
        Situation s = situation(seed);
        var result = new FcfsPolicy().place(s.queue(), s.free(), s.running(), NOW);
        List<Long> order = new ArrayList<>();
        s.queue().forEach(c -> {
            for (int i = 0; i < c.copies(); i++) {
                order.add(c.job().id());
            }
        });
        List<Long> started = result.placements().stream().map(Placement::jobId).toList();
        assertEquals(order.subList(0, started.size()), started, "seed " + seed);
    }
}
