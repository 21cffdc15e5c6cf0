package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scontrol update MailType= MailUser= of pending and running jobs, as slurmctld's _update_job takes them: the mails
 * that follow go by the new fields, and new mail types set the time-limit shares they name to be mailed again, as
 * Slurm's new mail_type sets again the MAIL_JOB_TIME* bits it cleared as it mailed them. A fake clock decides.
 */
class MailTypeUpdateTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private JobControl.Outcome<ClientReply.ControlResult> mail(long job, List<String> types, String user) {
        var o = s.core.control().update(new ControlRequest.UpdateJob(job, null, null, null, null, null, null, null,
                null, null, null, null, types, user));
        s.apply(o.decisions());
        return o;
    }

    /** A job of a 100 s limit, started now. */
    private long running(String... types) {
        s.node("n1", 4);
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(100L).mailType(List.of(types)));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(id).state());
        return id;
    }

    private List<JobMail.Notice> due(Duration later) {
        s.clock.advance(later);
        return s.core.timeLimitMail().notices();
    }

    private static List<String> subjects(List<JobMail.Notice> notices) {
        return notices.stream().map(JobMail.Notice::subject).toList();
    }

    @Test
    void aShareMailedIsMailedAgainAtTheNextPassOnceItsTypeIsSetAgain() {
        long id = running("TIME_LIMIT_50");
        assertEquals(1, due(Duration.ofSeconds(50)).size());
        assertEquals(List.of(), due(Duration.ofSeconds(5)), "once");

        var o = mail(id, List.of("TIME_LIMIT_50"), null);
        assertTrue(o.result().ok(), o.result().reason());
        assertEquals(List.of(new JobMail.SharesMailed(id, 1, 0)), o.decisions().marks(),
                "the same types as before clear the mark all the same, to store");
        assertEquals(List.of("Slurm Job_id=" + id + " Name=job Reached 50% of time limit, Run time 00:00:56"),
                subjects(due(Duration.ofSeconds(1))));
        assertEquals(List.of(), due(Duration.ofSeconds(1)), "once again");
    }

    @Test
    void onlyTheSharesTheNewTypesNameAreMailedAgain() {
        long id = running("TIME_LIMIT_50", "TIME_LIMIT_80");
        assertEquals(2, due(Duration.ofSeconds(85)).size());
        var o = mail(id, List.of("TIME_LIMIT_80", "END"), null);
        assertEquals(List.of(new JobMail.SharesMailed(id, 1, 1)), o.decisions().marks(), "50 % stays marked");
        assertEquals(List.of("Slurm Job_id=" + id + " Name=job Reached 80% of time limit, Run time 00:01:25"),
                subjects(due(Duration.ZERO)));
        assertEquals(List.of(), mail(id, List.of("END"), null).decisions().marks(), "no share named, none cleared");
    }

    @Test
    void mailTypeNoneLeavesNothingMoreToMail() {
        long id = running("TIME_LIMIT_50", "TIME_LIMIT_90", "END");
        assertEquals(1, due(Duration.ofSeconds(50)).size());
        var o = mail(id, List.of("NONE"), null);
        assertTrue(o.result().ok(), o.result().reason());
        assertEquals(List.of("NONE"), s.job(id).spec().mailType());
        assertEquals(List.of(), o.decisions().marks());
        assertEquals(List.of(), due(Duration.ofSeconds(45)), "90 % passed");
        var end = s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 0, null, s.clock.instant(),
                null));
        assertEquals(List.of(), s.core.mailFor(s.apply(end)), "no End either");
    }

    @Test
    void laterMailsGoToTheNewRecipientAndAnEmptyOneGivesThemBackToTheUser() {
        long id = running("TIME_LIMIT_50", "END");
        assertTrue(mail(id, null, "bob@example.org").result().ok());
        assertEquals("bob@example.org", s.job(id).spec().mailUser());
        assertEquals(List.of("bob@example.org"), due(Duration.ofSeconds(50)).stream().map(JobMail.Notice::recipient)
                .toList());
        assertTrue(mail(id, null, "").result().ok());
        assertEquals(null, s.job(id).spec().mailUser());
        var end = s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 0, null, s.clock.instant(),
                null));
        assertEquals(List.of("alice"), s.core.mailFor(s.apply(end)).stream().map(JobMail.Notice::recipient).toList());
    }

    /**
     * As slurmctld's _update_job: MailType=NONE frees the job's mail_user, so a later MailType= mails the job's user,
     * and a MailUser= given while the job has no mail type is not kept.
     */
    @Test
    void mailTypeNoneDropsTheRecipientAndALaterTypeMailsTheJobsUser() {
        long id = running("END");
        assertTrue(mail(id, null, "bob@example.org").result().ok());
        var none = mail(id, List.of("NONE"), null);
        assertTrue(none.result().ok(), none.result().reason());
        assertEquals(null, s.job(id).spec().mailUser(), "no mail type, no recipient");
        JobEvent.JobUpdated shown = (JobEvent.JobUpdated) JobUpdates.of(none.decisions(), s.clock.instant()).get(0);
        assertEquals(List.of("NONE"), shown.mailType());
        assertEquals(null, shown.mailUser());
        assertTrue(mail(id, null, "carol").result().ok());
        assertEquals(null, s.job(id).spec().mailUser(), "a recipient alone is not kept while no type is set");

        var end = mail(id, List.of("END"), null);
        assertEquals(null, s.job(id).spec().mailUser());
        var announced = (JobEvent.JobUpdated) JobUpdates.of(end.decisions(), s.clock.instant()).get(0);
        assertEquals(List.of("END"), announced.mailType(), "the event carries the new types");
        var finished = s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 0, null,
                s.clock.instant(), null));
        assertEquals(List.of("alice"), s.core.mailFor(s.apply(finished)).stream().map(JobMail.Notice::recipient)
                .toList(), "the job's user, not bob");
    }

    /** The job-updated event of a mail update carries the new fields, so that watchers and the page see them. */
    @Test
    void theJobUpdatedEventCarriesTheNewMailFields() {
        long id = running("END");
        var o = mail(id, List.of("BEGIN", "FAIL"), "dave@example.org");
        JobEvent.JobUpdated e = (JobEvent.JobUpdated) JobUpdates.of(o.decisions(), s.clock.instant()).get(0);
        assertEquals(List.of("BEGIN", "FAIL"), e.mailType());
        assertEquals("dave@example.org", e.mailUser());
    }

    @Test
    void aPendingJobTakesThemIntoItsSpec() {
        s.blockingJob();
        long id = s.submit(CoreScenario.spec());
        s.schedule();
        var o = mail(id, List.of("BEGIN", "END"), "carol");
        assertTrue(o.result().ok(), o.result().reason());
        JobSpec spec = s.job(id).spec();
        assertEquals(List.of("BEGIN", "END"), spec.mailType());
        assertEquals("carol", spec.mailUser());
        assertEquals(JobState.PENDING, s.job(id).state());
    }

    @Test
    void wrongValuesAreRefusedNamingTheFieldAndChangeNothing() {
        long id = running("TIME_LIMIT_50");
        due(Duration.ofSeconds(50));
        JobSpec before = s.job(id).spec();
        for (var bad : List.of(new Object[] {List.of("END", "NOON"), null, "mailType[1]: 'NOON' is not a mail type"},
                new Object[] {List.of("NONE", "END"), null, "mailType: NONE must be the only type given"},
                new Object[] {List.of("TIME_LIMIT_50"), "-oQ/tmp/x", "mailUser: must be a mail address"})) {
            @SuppressWarnings("unchecked")
            var o = mail(id, (List<String>) bad[0], (String) bad[1]);
            assertFalse(o.result().ok());
            assertTrue(o.result().reason().startsWith((String) bad[2]), o.result().reason());
            assertTrue(o.decisions().isEmpty(), "nothing stored");
            assertEquals(before, s.job(id).spec());
        }
        assertEquals(List.of(), due(Duration.ofSeconds(1)), "the mark of 50 % stays");
    }

    @Test
    void aRunningJobTakesThemWithADeadlineItKeepsButNotWithAFieldOnlyAPendingJobTakes() {
        long id = running("END");
        var withDeadline = s.core.control().update(new ControlRequest.UpdateJob(id, null, null, null, null, null, null,
                null, null, null, null, s.in(Duration.ofHours(5)), List.of("BEGIN"), null));
        assertTrue(withDeadline.result().ok(), withDeadline.result().reason());
        s.apply(withDeadline.decisions());
        assertEquals(List.of("BEGIN"), s.job(id).spec().mailType());
        assertEquals(null, s.job(id).spec().deadline(), "a running job keeps its own deadline");

        var withName = s.core.control().update(new ControlRequest.UpdateJob(id, null, null, null, null, "renamed",
                null, null, null, null, null, null, List.of("FAIL"), null));
        assertFalse(withName.result().ok());
        assertTrue(withName.result().reason().contains("only pending jobs can be updated"),
                withName.result().reason());
        assertEquals(List.of("BEGIN"), s.job(id).spec().mailType());
    }
}
