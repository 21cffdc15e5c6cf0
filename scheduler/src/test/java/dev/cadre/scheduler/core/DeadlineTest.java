package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RejectionCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * --deadline as slurmctld keeps it (Slurm's testsuite 17.53-17.61): refused at submission when it has passed or the
 * time limit from now runs past it; a pending job ended DEADLINE (reason DeadLine) once its time limit from now (or
 * from its begin time) would; a job fitting in time starts, one without a time limit with the time left as its limit.
 * A fake clock decides.
 */
class DeadlineTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    @Test
    void aPendingJobThatCanNoLongerEndByItsDeadlineEndsDeadline() {
        s.blockingJob();
        long late = s.submit(CoreScenario.spec().timeLimitSeconds(600L).deadline(s.in(Duration.ofMinutes(30))));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(late).state(), "it could still start in 20 minutes");
        assertEquals("Resources", s.job(late).reason());

        s.clock.advance(Duration.ofMinutes(20));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(late).state(), "starting now, it would end right at the deadline");

        s.clock.advance(Duration.ofSeconds(1));
        Decisions d = s.schedule();
        assertEquals(JobState.DEADLINE, s.job(late).state());
        assertEquals("DeadLine", s.job(late).reason());
        assertEquals(s.clock.instant(), s.job(late).endTime());
        JobChange end = d.changes().stream().filter(c -> c.job().id() == late).findFirst().orElseThrow();
        assertEquals(JobState.PENDING, end.previous());
    }

    @Test
    void aJobThatFitsBeforeItsDeadlineStartsAndKeepsItsLimit() {
        s.node("n1", 4);
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(600L).deadline(s.in(Duration.ofHours(1))));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(id).state());
        assertEquals(600L, s.job(id).spec().timeLimitSeconds());
    }

    @Test
    void aJobWithoutATimeLimitStartsWithTheTimeLeftAsItsLimitOnItsNodeToo() {
        s.node("n1", 4);
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(null).deadline(s.in(Duration.ofMinutes(45))));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(id).state());
        assertEquals(2700L, s.job(id).spec().timeLimitSeconds(), "stored, as a restarted head reads it");
        NodeCommand.PlaceJob place = s.sent.stream().filter(NodeCommand.PlaceJob.class::isInstance)
                .map(NodeCommand.PlaceJob.class::cast).filter(p -> p.jobId() == id).findFirst().orElseThrow();
        assertEquals(2700L, place.spec().timeLimitSeconds());
    }

    @Test
    void aJobWithoutATimeLimitEndsDeadlineOnceTheDeadlineHasCome() {
        s.blockingJob();
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(null).deadline(s.in(Duration.ofMinutes(5))));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(id).state());
        s.clock.advance(Duration.ofMinutes(5));
        s.schedule();
        assertEquals(JobState.DEADLINE, s.job(id).state());
    }

    @Test
    void aBeginTimeTooLateForTheDeadlineEndsTheJobAtOnce() {
        s.node("n1", 4);
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(600L).beginTime(s.in(Duration.ofMinutes(55)))
                .deadline(s.in(Duration.ofHours(1))));
        s.schedule();
        assertEquals(JobState.DEADLINE, s.job(id).state(), "from its begin time it would end 5 minutes late");
    }

    @Test
    void aHeldJobEndsDeadlineToo() {
        s.node("n1", 4);
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(600L).hold(JobSpec.HOLD_USER)
                .deadline(s.in(Duration.ofMinutes(15))));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(id).state());
        s.clock.advance(Duration.ofMinutes(6));
        s.schedule();
        assertEquals(JobState.DEADLINE, s.job(id).state());
    }

    @Test
    void anArraysRunningTasksGoOnWhileItsPendingTasksEndDeadline() {
        s.node("n1", 2);
        long array = s.submit(CoreScenario.spec().array("0-4").timeLimitSeconds(600L)
                .deadline(s.in(Duration.ofMinutes(15))));
        s.schedule();
        List<Long> running = s.inState(JobState.RUNNING).stream().map(j -> j.id()).toList();
        assertEquals(2, running.size());

        s.clock.advance(Duration.ofMinutes(6));
        s.schedule();
        assertEquals(2, s.inState(JobState.RUNNING).size(), "a running task is never ended by the deadline");
        var ended = s.inState(JobState.DEADLINE);
        assertEquals(1, ended.size(), "the record holding the three pending tasks, ended as one");
        assertEquals("2-4", ended.get(0).array().pending().toString());
        assertEquals(array, ended.get(0).array().arrayJobId());
    }

    @Test
    void aRestartedHeadEndsWhatTheStoredSpecAndClockSay() {
        s.blockingJob();
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(600L).deadline(s.in(Duration.ofMinutes(30))));
        s.schedule();
        s.clock.advance(Duration.ofMinutes(25));
        SchedulerCore restarted = s.restartedHead(id);

        s.apply(restarted.schedule());
        assertEquals(JobState.DEADLINE, s.job(id).state());
    }

    @Test
    void aSubmissionWhoseDeadlineHasPassedOrIsTooCloseIsRefused() {
        s.node("n1", 4);
        var passed = s.core.refusal(CoreScenario.spec().deadline(s.in(Duration.ofSeconds(-1))).build()).orElseThrow();
        assertEquals(RejectionCode.UNREACHABLE_DEADLINE, passed.code());
        assertEquals("spec.deadline", passed.problem().field());

        var tooClose = s.core.refusal(CoreScenario.spec().timeLimitSeconds(600L).deadline(s.in(Duration.ofMinutes(9)))
                .build()).orElseThrow();
        assertEquals(RejectionCode.UNREACHABLE_DEADLINE, tooClose.code());
        assertTrue(tooClose.problem().message().contains("600 s"), tooClose.problem().message());

        assertTrue(s.core.refusal(CoreScenario.spec().timeLimitSeconds(600L).deadline(s.in(Duration.ofMinutes(10)))
                .build()).isEmpty());
        assertTrue(s.core.refusal(CoreScenario.spec().timeLimitSeconds(null).deadline(s.in(Duration.ofMinutes(1)))
                .build()).isEmpty(), "without a time limit it may start and be limited");
    }

    @Test
    void withoutADeadlineNothingChanges() {
        assertNull(Deadlines.limitedAtStart(CoreScenario.spec().build(), s.clock.instant()));
        assertTrue(!Deadlines.missed(CoreScenario.spec().build(), s.clock.instant().plus(Duration.ofDays(999))));
    }
}
