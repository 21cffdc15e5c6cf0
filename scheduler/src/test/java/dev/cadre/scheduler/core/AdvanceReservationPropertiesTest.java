package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ReservationRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Over random clusters, reservations (some recurring, HOURLY or DAILY), queues and times, under each policy (a
 * failure names its seed): no job without a reservation is ever started so that its time limit from its start
 * overlaps a reservation's window, or any occurrence of one that recurs, on one of its nodes, and a job in a
 * reservation starts only on its nodes, only within its window (an occurrence's), and with a limit that ends by its
 * end.
 */
class AdvanceReservationPropertiesTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (PlacementPolicy.Kind policy : PlacementPolicy.Kind.values()) {
            for (long seed = 1; seed <= 120; seed++) {
                out.add(Arguments.of(policy, seed));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void noJobRunsIntoAReservationItIsNotInAndNoneLeavesItsOwn(PlacementPolicy.Kind policy, long seed) {
        Random rnd = new Random(seed);
        CoreScenario s = new CoreScenario(policy);
        int nodes = 1 + rnd.nextInt(5);
        for (int i = 1; i <= nodes; i++) {
            s.node("n" + i, 1 + rnd.nextInt(8));
        }
        List<AdvanceReservation> made = new ArrayList<>();
        int reservations = 1 + rnd.nextInt(4);
        for (int i = 0; i < reservations; i++) {
            String hosts = randomHosts(rnd, nodes);
            List<String> flags = new ArrayList<>();
            if (rnd.nextInt(3) == 0) {
                flags.add("MAINT");
            }
            if (rnd.nextBoolean()) {
                flags.add("IGNORE_JOBS");
            }
            int recurs = rnd.nextInt(4);
            if (recurs > 0) {
                flags.add(recurs == 1 ? "HOURLY" : "DAILY");
            }
            long minutes = recurs == 1 ? 1 + rnd.nextInt(30) : 1 + rnd.nextInt(300);
            var o = s.core.judge(new ReservationRequest.CreateReservation("r" + i,
                    s.in(Duration.ofMinutes(rnd.nextInt(240))), null, 60L * minutes, hosts,
                    List.of(rnd.nextBoolean() ? "alice" : "bob"), flags, "root", true));
            s.core.reservations().apply(o);
            if (o.stored() != null) {
                made.add(o.stored());
            }
        }
        Map<Long, Instant> checked = new HashMap<>();
        for (int step = 0; step < 40; step++) {
            for (int k = rnd.nextInt(4); k > 0; k--) {
                submit(s, rnd, made);
            }
            if (rnd.nextBoolean()) {
                RecurringReservationTest.expireAndRenew(s);
            } else {
                // A pass before the head moves a recurring one on: its stored occurrence may have ended.
                AdvanceReservationTest.expire(s);
            }
            s.schedule();
            for (JobRecord j : s.inState(JobState.RUNNING)) {
                if (checked.putIfAbsent(j.id(), j.startTime()) == null) {
                    check(j, made, policy + " seed " + seed + " step " + step);
                }
            }
            s.clock.advance(Duration.ofMinutes(rnd.nextInt(45)));
            for (JobRecord j : s.inState(JobState.RUNNING)) {
                Instant end = j.startTime().plus(Release.limitOf(j.spec()));
                if (!end.isAfter(s.clock.instant()) || rnd.nextInt(5) == 0) {
                    s.finish(j.id(), 0);
                }
            }
        }
        assertFalse(checked.isEmpty() && seed == 1, "the first seed starts jobs at all");
    }

    private static String randomHosts(Random rnd, int nodes) {
        if (rnd.nextInt(5) == 0) {
            return "ALL";
        }
        int from = 1 + rnd.nextInt(nodes);
        int to = from + rnd.nextInt(nodes - from + 1);
        return "n[" + from + "-" + to + "]";
    }

    private static void submit(CoreScenario s, Random rnd, List<AdvanceReservation> made) {
        String user = rnd.nextBoolean() ? "alice" : "bob";
        JobSpec.Builder b = CoreScenario.spec().user(user).tasks(1 + rnd.nextInt(3))
                .timeLimitSeconds(rnd.nextInt(6) == 0 ? null : 60L * (1 + rnd.nextInt(240)));
        if (!made.isEmpty() && rnd.nextInt(3) == 0) {
            b.reservation(made.get(rnd.nextInt(made.size())).name());
        }
        if (s.core.refusal(b.build()).isEmpty()) {
            s.submit(b);
        }
    }

    private static void check(JobRecord j, List<AdvanceReservation> made, String where) {
        List<String> hosts = Arrays.asList(j.allocation().hostnames().split(","));
        Instant start = j.startTime();
        Instant end = start.plus(Release.limitOf(j.spec()));
        for (AdvanceReservation r : made) {
            boolean own = r.name().equals(j.spec().reservation());
            if (own) {
                assertTrue(hosts.stream().allMatch(r::holds), where + ": job " + j.id() + " on " + hosts
                        + " outside its reservation " + r);
                AdvanceReservation occurrence = Recurrence.activeAt(r, start, ZoneOffset.UTC);
                assertTrue(occurrence != null, where + ": job " + j.id() + " started at " + start + " outside " + r);
                assertFalse(end.isAfter(occurrence.endTime()), where + ": job " + j.id() + " runs to " + end
                        + " past " + occurrence);
            } else if (hosts.stream().anyMatch(r::holds)) {
                assertFalse(Recurrence.overlaps(r, start, end, ZoneOffset.UTC), where + ": job " + j.id() + " on "
                        + hosts + " from " + start + " to " + end + " runs into " + r);
            }
        }
    }
}
