package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A core that hands its policy the pending jobs unread when they are in plain order ({@link PassCandidates})
 * decides exactly what a core that reads every pending job decides: the two are driven through the same random
 * histories (mostly plain jobs, with now and then a nice value, a fixed priority, a hold, a dependency, a begin
 * time, an array, or a clock stepping back so that submission times fall along the ids) and must store the
 * same jobs and send the same messages after every step.
 */
class LazyQueueEquivalenceTest {
    private static int plainPasses;
    private static int otherPasses;

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void readingThePlainQueueLazilyDecidesAsReadingItAll(PlacementPolicy.Kind kind) {
        for (long seed = 1; seed <= 60; seed++) {
            history(kind, seed);
        }
    }

    private static void history(PlacementPolicy.Kind kind, long seed) {
        Random rnd = new Random(seed);
        CoreScenario lazy = new CoreScenario(kind);
        CoreScenario full = new CoreScenario(kind);
        full.core.readQueueInFull();
        List<CoreScenario> both = List.of(lazy, full);
        for (String n : List.of("n1", "n2", "n3")) {
            int cores = 1 + rnd.nextInt(6);
            both.forEach(s -> s.node(n, cores));
        }
        for (int step = 0; step < 150; step++) {
            int op = rnd.nextInt(20);
            if (op < 6) {
                JobSpec.Builder spec = spec(rnd, lazy);
                both.forEach(s -> s.submit(spec));
            } else if (op < 11) {
                if (plain(lazy)) {
                    plainPasses++;
                } else {
                    otherPasses++;
                }
                both.forEach(CoreScenario::schedule);
            } else if (op < 17) {
                Optional<JobRecord> running = lazy.inState(JobState.RUNNING).stream()
                        .min(Comparator.comparingLong(JobRecord::id));
                int exit = rnd.nextInt(4) == 0 ? 1 : 0;
                running.ifPresent(j -> both.forEach(s -> s.finish(j.id(), exit)));
            } else if (op == 17) {
                // Mostly forward; now and then back, so that later jobs are submitted "earlier".
                Duration step2 = Duration.ofSeconds(rnd.nextInt(8) == 0 ? -30 : rnd.nextInt(90));
                both.forEach(s -> {
                    s.clock.advance(step2);
                    s.apply(s.core.tick());
                });
            } else if (op == 18) {
                // A pending job, so that jobs which break plain order also leave the queue.
                Optional<Long> id = lazy.inState(JobState.PENDING).stream().map(JobRecord::id).sorted()
                        .skip(rnd.nextInt(3)).findFirst();
                id.ifPresent(i -> both.forEach(s -> s.apply(s.core.cancel(i).decisions())));
            } else {
                Optional<Long> id = pick(rnd, lazy);
                boolean hold = rnd.nextBoolean();
                id.ifPresent(i -> both.forEach(s -> s.apply(hold
                        ? s.core.control().hold(new ControlRequest.HoldJob(i, null, true)).decisions()
                        : s.core.control().release(new ControlRequest.ReleaseJob(i, null, true)).decisions())));
            }
            assertEquals(full.stored, lazy.stored, kind + " seed " + seed + " step " + step + ": stored jobs differ");
            assertEquals(full.sent, lazy.sent, kind + " seed " + seed + " step " + step + ": messages differ");
        }
    }

    @AfterAll
    static void bothKindsOfQueueWereDriven() {
        assertTrue(plainPasses > 1_000 && otherPasses > 1_000,
                "plain passes " + plainPasses + ", others " + otherPasses + ": the histories must exercise both");
    }

    /** The definition PendingQueue keeps in counts, worked out from the stored jobs. */
    static boolean plain(CoreScenario s) {
        List<JobRecord> pending = s.inState(JobState.PENDING).stream()
                .sorted(Comparator.comparingLong(JobRecord::id)).toList();
        for (int i = 0; i < pending.size(); i++) {
            JobRecord j = pending.get(i);
            if (j.spec().priority() != null || j.spec().niceOrZero() != 0 || Eligibility.mayBeHeldBack(j)
                    || i > 0 && pending.get(i - 1).submitTime().isAfter(j.submitTime())) {
                return false;
            }
        }
        return true;
    }

    private static JobSpec.Builder spec(Random rnd, CoreScenario s) {
        JobSpec.Builder b = CoreScenario.spec().tasks(1 + rnd.nextInt(3)).timeLimitSeconds(60L + rnd.nextInt(3600));
        switch (rnd.nextInt(60)) {
            case 0 -> b.nice(rnd.nextInt(200) - 100);
            case 1 -> b.priority((long) rnd.nextInt(2_000_000));
            case 2 -> b.hold(JobSpec.HOLD_USER);
            case 3 -> b.beginTime(s.clock.instant().plusSeconds(rnd.nextInt(120)));
            case 4 -> b.array("0-" + rnd.nextInt(4) + (rnd.nextBoolean() ? "%1" : ""));
            case 5 -> {
                if (!s.stored.isEmpty()) {
                    b.dependency("afterok:" + (1 + rnd.nextInt(s.stored.size())));
                }
            }
            default -> { }
        }
        return b;
    }

    private static Optional<Long> pick(Random rnd, CoreScenario s) {
        List<Long> ids = new ArrayList<>(s.stored.keySet());
        ids.sort(null);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(rnd.nextInt(ids.size())));
    }
}
