package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scontrol update Deadline= as slurmctld's update_job takes it (a pending job's new deadline; one that has passed
 * refused as an invalid time; a running job's left as it is, without an error), a submission judged from its begin
 * time, and squeue --start leaving out a start the deadline forbids. A fake clock decides.
 */
class DeadlineUpdateTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    private ClientReply.ControlResult deadline(long job, Instant deadline) {
        var outcome = s.core.control().update(new ControlRequest.UpdateJob(job, null, null, null, null, null, null,
                null, null, null, null, deadline));
        s.apply(outcome.decisions());
        return outcome.result();
    }

    @Test
    void aSubmissionIsJudgedFromItsBeginTime() {
        s.node("n1", 4);
        JobSpec late = CoreScenario.spec().timeLimitSeconds(600L).beginTime(s.in(Duration.ofMinutes(55)))
                .deadline(s.in(Duration.ofHours(1))).build();
        var refused = s.core.refusal(late).orElseThrow();
        assertEquals(RejectionCode.UNREACHABLE_DEADLINE, refused.code());
        assertEquals("spec.deadline", refused.problem().field());
        assertTrue(refused.problem().message().contains("600 s from its begin time"), refused.problem().message());

        assertTrue(s.core.refusal(CoreScenario.spec().timeLimitSeconds(600L).beginTime(s.in(Duration.ofMinutes(50)))
                .deadline(s.in(Duration.ofHours(1))).build()).isEmpty(), "it ends right at the deadline");
        assertTrue(s.core.refusal(CoreScenario.spec().timeLimitSeconds(600L).beginTime(s.in(Duration.ofMinutes(-30)))
                .deadline(s.in(Duration.ofMinutes(10))).build()).isEmpty(), "a begin time passed: from now");
    }

    @Test
    void aPendingJobTakesANewDeadlineThatARestartedHeadKeeps() {
        s.blockingJob();
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(600L));
        s.schedule();
        Instant deadline = s.in(Duration.ofHours(2));

        ClientReply.ControlResult r = deadline(id, deadline);
        assertTrue(r.ok(), r.reason());
        assertEquals(deadline, s.job(id).spec().deadline(), "stored in the spec");

        s.clock.advance(Duration.ofMinutes(111));
        SchedulerCore restarted = s.restartedHead(id);
        s.apply(restarted.schedule());
        assertEquals(JobState.DEADLINE, s.job(id).state(), "ten minutes from now end 1 minute past the new deadline");
    }

    @Test
    void aNewDeadlineIsInTheJobUpdatedEventThatAnnouncesIt() throws Exception {
        s.blockingJob();
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(600L));
        s.schedule();
        Instant deadline = s.in(Duration.ofHours(2));

        var outcome = s.core.control().update(new ControlRequest.UpdateJob(id, null, null, null, null, null, null,
                null, null, null, null, deadline));
        assertTrue(outcome.result().ok(), outcome.result().reason());
        List<JobEvent> events = JobUpdates.of(outcome.decisions(), s.clock.instant());
        assertEquals(1, events.size(), events.toString());
        var updated = (JobEvent.JobUpdated) events.get(0);
        assertEquals(id, updated.jobId());
        assertEquals(deadline, updated.deadline(), "the new deadline, as stored: " + updated);
        assertEquals(updated, MessageCodec.decode(MessageCodec.encode(updated)), "as subscribers read it");
    }

    @Test
    void aDeadlineTheJobCanNoLongerMeetIsTakenAndEndsItAtTheNextPass() {
        s.blockingJob();
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(600L));
        s.schedule();

        assertTrue(deadline(id, s.in(Duration.ofMinutes(5))).ok(), "slurmctld checks only that it has not passed");
        assertEquals(JobState.PENDING, s.job(id).state());
        s.schedule();
        assertEquals(JobState.DEADLINE, s.job(id).state());
        assertEquals("DeadLine", s.job(id).reason());
    }

    @Test
    void aDeadlineThatHasPassedOrIsBeforeTheBeginTimeIsRefusedAndChangesNothing() {
        s.blockingJob();
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(600L).beginTime(s.in(Duration.ofHours(3))));
        s.schedule();
        JobSpec before = s.job(id).spec();

        ClientReply.ControlResult passed = deadline(id, s.in(Duration.ofSeconds(-1)));
        assertFalse(passed.ok());
        assertTrue(passed.reason().startsWith("deadline: is "), passed.reason());
        assertTrue(passed.reason().endsWith("which has passed"), passed.reason());

        ClientReply.ControlResult beforeBegin = deadline(id, s.in(Duration.ofHours(2)));
        assertFalse(beforeBegin.ok());
        assertTrue(beforeBegin.reason().contains("deadline: "), beforeBegin.reason());
        assertEquals(before, s.job(id).spec());
    }

    @Test
    void aRunningJobKeepsItsDeadlineWithoutARefusal() {
        s.node("n1", 1);
        Instant own = s.in(Duration.ofHours(1));
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(600L).deadline(own));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(id).state());

        ClientReply.ControlResult r = deadline(id, s.in(Duration.ofHours(5)));
        assertTrue(r.ok(), r.reason());
        assertEquals(JobState.RUNNING, r.state());
        assertEquals(own, s.job(id).spec().deadline());

        var withLimit = s.core.control().update(new ControlRequest.UpdateJob(id, null, 300L, null, null, null, null,
                null, null, null, null, s.in(Duration.ofHours(5))));
        s.apply(withLimit.decisions());
        assertTrue(withLimit.result().ok(), withLimit.result().reason());
        assertEquals(300L, s.job(id).spec().timeLimitSeconds(), "the limit is taken");
        assertEquals(own, s.job(id).spec().deadline(), "the deadline is not");
    }

    @Test
    void theStartForecastLeavesOutAStartItsDeadlineForbids() {
        long blocker = s.blockingJob();
        long late = s.submit(CoreScenario.spec().timeLimitSeconds(600L).deadline(s.in(Duration.ofMinutes(30))));
        long next = s.submit(CoreScenario.spec().timeLimitSeconds(600L));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(late).state(), "it could still start in 20 minutes");

        List<StartForecast.Start> starts = s.core.forecast();
        assertTrue(starts.stream().noneMatch(st -> st.jobId() == late),
                "planned after the blocker's hour it would end 40 minutes late: " + starts);
        StartForecast.Start after = starts.stream().filter(st -> st.jobId() == next).findFirst().orElseThrow();
        Instant blockerEnd = s.job(blocker).startTime().plusSeconds(3600);
        assertEquals(blockerEnd, after.at(), "the job it would have held up starts when the node is free");
    }
}
