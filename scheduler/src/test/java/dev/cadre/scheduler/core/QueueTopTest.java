package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply.TopResult;
import dev.cadre.protocol.JobPriority;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** scontrol top as slurmctld's _set_top decides it: the order, the sums and the refusals. */
class QueueTopTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plus(Duration.ofMinutes(30)), ZoneOffset.UTC);

    private static JobRecord job(long id, String user, int minutesAfterT0, JobState state) {
        return job(id, CoreScenario.spec().user(user), minutesAfterT0, state);
    }

    private static JobRecord job(long id, JobSpec.Builder spec, int minutesAfterT0, JobState state) {
        return new JobRecord(id, "k" + id, spec.build(), state, "None", 0, null, false, null, null,
                T0.plus(Duration.ofMinutes(minutesAfterT0)), null, null);
    }

    private static QueueTop.Decision top(List<JobRecord> all, boolean operator, boolean enabled, long... ids) {
        Map<Long, JobRecord> byId = new HashMap<>();
        all.forEach(j -> byId.put(j.id(), j));
        List<JobRecord> listed = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (long id : ids) {
            listed.add(byId.get(id));
            names.add(Long.toString(id));
        }
        return QueueTop.decide(listed, names, all.stream().filter(j -> j.state() == JobState.PENDING).toList(),
                "alice", operator, enabled, CLOCK);
    }

    /** Each job's priority once the decision is applied, as the scheduler then computes it. */
    private static Map<Long, Long> after(List<JobRecord> all, QueueTop.Decision d) {
        Map<Long, QueueTop.Change> changes = new HashMap<>();
        d.changes().forEach(c -> changes.put(c.jobId(), c));
        Map<Long, Long> out = new HashMap<>();
        for (JobRecord j : all) {
            QueueTop.Change c = changes.get(j.id());
            JobRecord now = c == null ? j : j.withSpec(j.spec().toBuilder().nice(c.nice())
                    .priority(c.priority() == null ? j.spec().priority() : c.priority()).build());
            out.put(j.id(), JobPriority.of(now, CLOCK.instant()));
        }
        return out;
    }

    private static final long B = JobPriority.BASE;

    @Test
    void theListedJobTakesTheHighestPriorityAndTheOthersShareWhatItGained() {
        // Ages 30, 20 and 10 minutes: priorities B+30, B+20, B+10.
        List<JobRecord> all = List.of(job(1, "alice", 0, JobState.PENDING), job(2, "alice", 10, JobState.PENDING),
                job(3, "alice", 20, JobState.PENDING), job(4, "bob", 0, JobState.PENDING));
        QueueTop.Decision d = top(all, false, true, 3);
        assertNull(d.refusal());
        assertEquals(List.of(new QueueTop.Change(3, -20, null), new QueueTop.Change(1, 10, null),
                new QueueTop.Change(2, 10, null)), d.changes());
        Map<Long, Long> p = after(all, d);
        assertEquals(List.of(B + 30, B + 20, B + 10, B + 30), List.of(p.get(3L), p.get(1L), p.get(2L), p.get(4L)),
                "bob's job is not alice's to move");
    }

    @Test
    void severalJobsEndInTheOrderNamedEvenWhenTheyTie() {
        // Four jobs submitted in the same minute: one priority for all.
        List<JobRecord> all = new ArrayList<>();
        for (long id = 1; id <= 4; id++) {
            all.add(job(id, "alice", 0, JobState.PENDING));
        }
        QueueTop.Decision d = top(all, false, true, 4, 3, 2);
        Map<Long, Long> p = after(all, d);
        assertTrue(p.get(4L) > p.get(3L) && p.get(3L) > p.get(2L) && p.get(2L) > p.get(1L), p.toString());
        assertEquals(List.of(B + 30, B + 29, B + 28, B + 27), List.of(p.get(4L), p.get(3L), p.get(2L), p.get(1L)));
        assertEquals(6, d.changes().stream().mapToInt(QueueTop.Change::nice).sum(),
                "the user's priorities' sum falls a little, never rises: 1+2 to separate them, 3 for the last");
    }

    @Test
    void aFixedPriorityIsSetWhereANiceWouldChange() {
        List<JobRecord> all = List.of(job(1, CoreScenario.spec().user("alice").priority(B + 25), 0,
                JobState.PENDING), job(2, "alice", 10, JobState.PENDING));
        QueueTop.Decision d = top(all, false, true, 2);
        assertEquals(List.of(new QueueTop.Change(2, -5, null), new QueueTop.Change(1, 0, B + 20)), d.changes());
    }

    @Test
    void nobodyButAnOperatorMayUnlessTheHeadLetsUsers() {
        List<JobRecord> all = List.of(job(1, "alice", 0, JobState.PENDING), job(2, "alice", 10, JobState.PENDING));
        QueueTop.Decision d = top(all, false, false, 2);
        assertEquals(TopResult.ACCESS_DENIED, d.refusal().refusal());
        assertTrue(d.changes().isEmpty());
        assertNull(top(all, true, false, 2).refusal(), "an operator may without --enable-user-top");
    }

    @Test
    void anotherUsersJobIsRefusedWholeToAUserButNotToAnOperator() {
        List<JobRecord> all = List.of(job(1, "alice", 0, JobState.PENDING), job(2, "alice", 10, JobState.PENDING),
                job(3, "bob", 20, JobState.PENDING));
        QueueTop.Decision d = top(all, false, true, 2, 3);
        assertEquals(TopResult.ACCESS_DENIED, d.refusal().refusal());
        assertEquals(3L, d.refusal().jobId());
        assertTrue(d.changes().isEmpty());
        QueueTop.Decision operator = top(all, true, false, 2, 3);
        assertNull(operator.refusal(), "slurmctld lets an operator name several users' jobs");
        Map<Long, Long> p = after(all, operator);
        assertTrue(p.get(2L) > p.get(3L) && p.get(3L) > p.get(1L), p.toString());
    }

    @Test
    void jobsNotPendingHeldOrUnknownAreLeftOutUnlessNoneIsLeft() {
        List<JobRecord> all = List.of(job(1, "alice", 0, JobState.PENDING), job(2, "alice", 10, JobState.RUNNING),
                job(3, CoreScenario.spec().user("alice").hold(JobSpec.HOLD_USER), 20, JobState.PENDING),
                job(4, "alice", 20, JobState.PENDING));
        QueueTop.Decision unknown = top(all, false, true, 99);
        assertEquals(TopResult.NOT_PENDING, unknown.refusal().refusal(), "the scheduler holds unfinished jobs alone");
        assertNull(unknown.refusal().state());
        assertNull(top(all, false, true, 99, 4).refusal());
        QueueTop.Decision running = top(all, false, true, 2);
        assertEquals(TopResult.NOT_PENDING, running.refusal().refusal());
        assertEquals(JobState.RUNNING, running.refusal().state());
        assertEquals(TopResult.HELD, top(all, false, true, 3).refusal().refusal());
        assertEquals(TopResult.HELD, top(all, false, true, 2, 3).refusal().refusal(), "the last one refused says");
        QueueTop.Decision mixed = top(all, false, true, 2, 4, 3);
        assertNull(mixed.refusal());
        assertEquals(List.of(new QueueTop.Change(4, -20, null), new QueueTop.Change(1, 20, null)), mixed.changes(),
                "the held job neither moves nor makes way");
    }

    @Test
    void aMoveThatWouldTakeANiceOutOfRangeChangesNothing() {
        List<JobRecord> all = List.of(job(1, CoreScenario.spec().user("alice").nice(-9_999), 0, JobState.PENDING),
                job(2, "alice", 10, JobState.PENDING));
        QueueTop.Decision d = top(all, false, true, 2);
        assertEquals(TopResult.OUT_OF_RANGE, d.refusal().refusal());
        assertTrue(d.changes().isEmpty());
    }

    @Test
    void overRandomQueuesTheNamedJobsLeadInOrderAndTheSumNeverRises() {
        Random random = new Random(185);
        String[] users = {"alice", "alice", "bob"};
        for (int round = 0; round < 500; round++) {
            List<JobRecord> all = new ArrayList<>();
            int n = 1 + random.nextInt(12);
            for (long id = 1; id <= n; id++) {
                JobSpec.Builder spec = CoreScenario.spec().user(users[random.nextInt(users.length)])
                        .nice(random.nextInt(101) - 50);
                if (random.nextInt(8) == 0) {
                    spec.priority(B + random.nextInt(60));
                }
                if (random.nextInt(8) == 0) {
                    spec.hold(JobSpec.HOLD_USER);
                }
                all.add(job(id, spec, random.nextInt(30), random.nextInt(6) == 0 ? JobState.RUNNING
                        : JobState.PENDING));
            }
            List<Long> named = new ArrayList<>();
            for (JobRecord j : all) {
                if (j.user().equals("alice") && random.nextBoolean()) {
                    named.add(j.id());
                }
            }
            java.util.Collections.shuffle(named, random);
            if (named.isEmpty()) {
                continue;
            }
            QueueTop.Decision d = top(all, false, true, named.stream().mapToLong(Long::longValue).toArray());
            Map<Long, Long> before = after(all, new QueueTop.Decision(List.of(), null));
            if (d.refusal() != null) {
                assertTrue(d.changes().isEmpty());
                continue;
            }
            Map<Long, Long> p = after(all, d);
            List<Long> moved = named.stream().filter(id -> all.get((int) (id - 1)).state() == JobState.PENDING
                    && all.get((int) (id - 1)).spec().hold() == null).toList();
            for (int i = 1; i < moved.size(); i++) {
                assertTrue(p.get(moved.get(i - 1)) > p.get(moved.get(i)), "round " + round + ": " + named + " " + p);
            }
            long lowestMoved = p.get(moved.get(moved.size() - 1));
            long sum = 0;
            for (JobRecord j : all) {
                boolean mayChange = j.user().equals("alice") && j.state() == JobState.PENDING
                        && j.spec().hold() == null;
                if (!mayChange) {
                    assertEquals(before.get(j.id()), p.get(j.id()), "round " + round + ": job " + j.id());
                } else if (!moved.contains(j.id())) {
                    assertTrue(p.get(j.id()) < lowestMoved, "round " + round + ": job " + j.id() + " " + p);
                }
                sum += p.get(j.id()) - before.get(j.id());
            }
            assertTrue(sum <= 0, "round " + round + ": the user's priorities rose by " + sum);
        }
    }
}
