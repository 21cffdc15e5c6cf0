package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A start forecast taken under the lock ({@link SchedulerCore#startForecast}: a plain queue read only as deep as the
 * plan goes, any other one filtered) and planned later gives exactly the plan of every pending job made at once, as
 * the head made it under its lock before, over random histories: several nodes, running jobs with and without time
 * limits, arrays, holds, dependencies, begin times, nice values and fixed priorities, requeues, a clock that now and
 * then steps back, small and large depths. A forecast taken and planned only after the core moved on still gives
 * the plan of its own time: nothing it holds changes with the core. And two forecasts that say they have the same
 * state ({@link StartForecast#sameStateAs}), taken at one time, plan the same.
 */
class ForecastSnapshotTest {
    private static int plainChecks;
    private static int otherChecks;
    private static int sameStateChecks;
    private static int beginTimeChecks;
    private static int mixedInOrderChecks;

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aForecastTakenNowAndPlannedLaterIsThePlanOfEveryPendingJobMadeNow(PlacementPolicy.Kind kind) {
        for (long seed = 1; seed <= 40; seed++) {
            history(kind, seed);
        }
    }

    private static void history(PlacementPolicy.Kind kind, long seed) {
        Random rnd = new Random(seed);
        int depth = List.of(1, 2, 3, 5, 1000).get(rnd.nextInt(5));
        CoreScenario s = new CoreScenario(new SchedulerSettings(kind, depth, Duration.ofSeconds(60),
                Duration.ofDays(1), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(10), true));
        int nodes = 1 + rnd.nextInt(4);
        for (int n = 1; n <= nodes; n++) {
            s.node("n" + n, 1 + rnd.nextInt(8));
        }
        // Some histories keep to plain jobs, so that the queue is read lazily; the others mix in the rest.
        int oddOneIn = rnd.nextBoolean() ? 0 : 3 + rnd.nextInt(10);
        StartForecast kept = null;
        List<StartForecast.Start> keptPlan = null;
        StartForecast.Trial keptTrial = null;
        JobSpec trialSpec = null;
        Instant keptTime = null;
        for (int step = 0; step < 120; step++) {
            String where = kind + " seed " + seed + " step " + step;
            act(rnd, s, oddOneIn);
            if (step % 3 != 0) {
                continue;
            }
            if (kept != null) {
                // Planned after the core moved on: the plan of its own time.
                assertEquals(keptPlan, kept.starts(), where + ": a forecast kept changed with the core");
                assertEquals(keptTrial, kept.trial(trialSpec), where + ": a trial kept changed with the core");
            }
            StartForecast taken = s.core.startForecast();
            StartForecast all = s.core.startForecastOfAllPending();
            List<StartForecast.Start> plan = all.starts();
            beginTimeChecks += plan.stream().anyMatch(f -> s.job(f.jobId()).reason().equals("BeginTime")) ? 1 : 0;
            if (LazyQueueEquivalenceTest.plain(s)) {
                plainChecks++;
                long waiting = s.inState(JobState.PENDING).stream().filter(StartForecast::waitsForRoom).count();
                assertTrue(taken.jobsTaken() <= depth, where + ": a plain queue is read only as deep as the plan");
                assertEquals(Math.min(depth, waiting), taken.jobsTaken(), where);
            } else {
                otherChecks++;
                mixedInOrderChecks += submittedInIdOrder(s) ? 1 : 0;
            }
            assertEquals(plan, taken.starts(), where + ": the forecast differs from the plan of every pending job");
            trialSpec = spec(rnd, s, 4).build();
            StartForecast.Trial trial = all.trial(trialSpec);
            assertEquals(trial, taken.trial(trialSpec), where + ": the trial differs");
            StartForecast again = s.core.startForecast();
            assertTrue(taken.sameStateAs(again) && again.sameStateAs(taken), where + ": nothing changed between");
            if (kept != null && kept.sameStateAs(taken) && s.clock.instant().equals(keptTime)) {
                sameStateChecks++;
                assertEquals(plan, keptPlan, where + ": the same state planned differently");
            }
            kept = taken;
            keptPlan = plan;
            keptTrial = trial;
            keptTime = s.clock.instant();
        }
    }

    /** One step of a history: a submission, a pass, an end, time, a cancel, a hold or release, or a requeue. */
    private static void act(Random rnd, CoreScenario s, int oddOneIn) {
        int op = rnd.nextInt(20);
        if (op < 6) {
            s.submit(spec(rnd, s, oddOneIn));
        } else if (op < 10) {
            s.schedule();
        } else if (op < 14) {
            List<JobRecord> running = s.inState(JobState.RUNNING);
            if (!running.isEmpty()) {
                s.finish(running.get(rnd.nextInt(running.size())).id(), rnd.nextInt(4) == 0 ? 1 : 0);
            }
        } else if (op < 16) {
            s.clock.advance(Duration.ofSeconds(rnd.nextInt(10) == 0 ? -20 : rnd.nextInt(400)));
            s.apply(s.core.tick());
        } else if (op == 16) {
            pick(rnd, s, JobState.PENDING).ifPresent(id -> s.apply(s.core.cancel(id).decisions()));
        } else if (op == 17 && oddOneIn > 0) {
            pick(rnd, s, JobState.PENDING).ifPresent(id -> s.apply(rnd.nextBoolean()
                    ? s.core.control().hold(new ControlRequest.HoldJob(id, null, false)).decisions()
                    : s.core.control().release(new ControlRequest.ReleaseJob(id, null, true)).decisions()));
        } else if (op == 18 && oddOneIn > 0) {
            pick(rnd, s, JobState.RUNNING).ifPresent(id -> s.apply(s.core.control()
                    .requeue(new ControlRequest.RequeueJob(id, null, false)).decisions()));
        } else {
            s.clock.advance(Duration.ofSeconds(rnd.nextInt(30)));
        }
    }

    /** Mostly plain jobs; one in oddOneIn (none when 0) with something that takes plain order away. */
    private static JobSpec.Builder spec(Random rnd, CoreScenario s, int oddOneIn) {
        JobSpec.Builder b = CoreScenario.spec().tasks(1 + rnd.nextInt(6))
                .timeLimitSeconds(rnd.nextInt(15) == 0 ? null : 60L + rnd.nextInt(7200));
        if (rnd.nextInt(8) == 0) {
            b.nodes(2).tasks(2 + rnd.nextInt(4));
        }
        if (oddOneIn == 0 || rnd.nextInt(oddOneIn) != 0) {
            return b;
        }
        switch (rnd.nextInt(8)) {
            case 0 -> b.nice(rnd.nextInt(200) - 100);
            case 1 -> b.priority((long) rnd.nextInt(2_000_000));
            case 2 -> b.hold(JobSpec.HOLD_USER);
            case 3, 6 -> b.beginTime(s.clock.instant().plusSeconds(rnd.nextInt(7200) - 300));
            case 4 -> b.array("0-" + rnd.nextInt(4) + (rnd.nextBoolean() ? "%1" : ""));
            case 5 -> {
                if (!s.stored.isEmpty()) {
                    b.dependency((rnd.nextBoolean() ? "afterok:" : "afterany:") + (1 + rnd.nextInt(s.stored.size())));
                }
            }
            default -> b.nodelist(List.of("n1"));
        }
        return b;
    }

    /** Pending jobs' submission times never decrease along their ids, whatever else they are. */
    private static boolean submittedInIdOrder(CoreScenario s) {
        List<JobRecord> pending = s.inState(JobState.PENDING);
        for (int i = 1; i < pending.size(); i++) {
            if (pending.get(i - 1).submitTime().isAfter(pending.get(i).submitTime())) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Long> pick(Random rnd, CoreScenario s, JobState state) {
        List<Long> ids = new ArrayList<>(s.inState(state).stream().map(JobRecord::id).toList());
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(rnd.nextInt(ids.size())));
    }

    @Test
    void aPlainQueueIsReadOnlyAsDeepAsThePlanGoes() {
        CoreScenario s = new CoreScenario(new SchedulerSettings(PlacementPolicy.Kind.EASY, 3, Duration.ofSeconds(60),
                Duration.ofDays(1), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(10), true));
        s.node("n1", 2);
        for (int i = 0; i < 50; i++) {
            s.submit(CoreScenario.spec().tasks(2));
        }
        s.schedule();
        StartForecast taken = s.core.startForecast();
        assertEquals(3, taken.jobsTaken(), "the depth's jobs, not the 49 waiting");
        assertEquals(List.of(2L, 3L, 4L), taken.starts().stream().map(StartForecast.Start::jobId).toList());
        assertEquals(51, taken.trial(CoreScenario.spec().build()).start().jobId(), "under the next id, planned"
                + " beyond the depth");

        s.submit(CoreScenario.spec().hold(JobSpec.HOLD_USER));
        s.submit(CoreScenario.spec().nice(-10));
        s.schedule();
        StartForecast mixed = s.core.startForecast();
        assertEquals(4, mixed.jobsTaken(), "the depth's plain jobs, and apart the one with a nice value, which may go"
                + " anywhere in the order; not the held one, which no plan lists");
        assertEquals(List.of(52L, 2L, 3L), mixed.starts().stream().map(StartForecast.Start::jobId).toList());

        s.clock.advance(Duration.ofSeconds(-1));
        s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(51, s.core.startForecast().jobsTaken(), "a job submitted before the one ahead of it by id: the"
                + " order by id is no longer the order by age, and every job a plan may list is taken");
    }

    @AfterAll
    static void bothKindsOfQueueWereChecked() {
        assertTrue(plainChecks > 500 && otherChecks > 500 && mixedInOrderChecks > 300 && sameStateChecks > 50
                && beginTimeChecks > 50, "plain " + plainChecks + ", others " + otherChecks + " (of them submitted in"
                + " id order " + mixedInOrderChecks + "), same state " + sameStateChecks + ", with a job waiting for"
                + " its begin time " + beginTimeChecks + ": the histories must exercise each");
    }
}
