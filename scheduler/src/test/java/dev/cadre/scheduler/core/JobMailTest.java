package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mails --mail-type asks for, decided by the core from its own changes, with Slurm's subject lines. */
class JobMailTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private static JobSpec.Builder mailing(String... types) {
        return CoreScenario.spec().mailType(List.of(types));
    }

    private List<String> subjects(Decisions d) {
        return s.core.mailFor(s.apply(d)).stream().map(JobMail.Notice::subject).toList();
    }

    private List<String> schedule() {
        return subjects(s.core.schedule());
    }

    private List<String> end(long id, int exit, int signal, JobState killedFor) {
        JobRecord j = s.job(id);
        return subjects(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, j.attempt(),
                j.allocation().coordinator().nodeId(), exit, signal, killedFor, s.clock.instant(), null)));
    }

    @Test
    void aJobThatRunsGetsBeganAndEndedWithItsTimes() {
        s.node("n1", 4);
        long id = s.submit(mailing("BEGIN", "END").mailUser("bob@example.org"));
        s.clock.advance(Duration.ofSeconds(1));
        List<JobMail.Notice> began = s.core.mailFor(s.apply(s.core.schedule()));
        assertEquals(List.of(new JobMail.Notice(id, "bob@example.org", "Slurm Job_id=" + id
                + " Name=job Began, Queued time 00:00:01")), began);
        s.clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of("Slurm Job_id=" + id + " Name=job Ended, Run time 00:00:05, COMPLETED, ExitCode 0"),
                end(id, 0, 0, null));
    }

    @Test
    void theRecipientIsTheJobsUserUnlessMailUserNamesAnother() {
        s.node("n1", 4);
        s.submit(mailing("BEGIN"));
        assertEquals("alice", s.core.mailFor(s.apply(s.core.schedule())).get(0).recipient());
    }

    @Test
    void aFailureIsFailsMailOrEndsWhenOnlyEndWasAskedFor() {
        s.node("n1", 4);
        long failOnly = s.submit(mailing("FAIL"));
        long endOnly = s.submit(mailing("END"));
        long failOk = s.submit(mailing("FAIL"));
        assertEquals(List.of(), schedule(), "BEGIN was not asked for");
        s.clock.advance(Duration.ofSeconds(3));
        assertEquals(List.of("Slurm Job_id=" + failOnly + " Name=job Failed, Run time 00:00:03, FAILED, ExitCode 1"),
                end(failOnly, 1, 0, null));
        assertEquals(List.of("Slurm Job_id=" + endOnly + " Name=job Ended, Run time 00:00:03, FAILED, ExitCode 7"),
                end(endOnly, 7, 0, null));
        assertEquals(List.of(), end(failOk, 0, 0, null), "a completed job is no failure");
    }

    @Test
    void aTimeoutIsAFailureAndReachesTheTimeLimit() {
        s.node("n1", 4);
        long id = s.submit(mailing("FAIL", "TIME_LIMIT"));
        schedule();
        s.clock.advance(Duration.ofSeconds(600));
        assertEquals(List.of("Slurm Job_id=" + id + " Name=job Reached time limit, Run time 00:10:00",
                "Slurm Job_id=" + id + " Name=job Failed, Run time 00:10:00, TIMEOUT, ExitCode 0"),
                end(id, 0, 9, JobState.TIMEOUT));
    }

    @Test
    void aCancelledPendingJobEndsWithoutARunTime() {
        long id = s.submit(mailing("ALL"));
        var o = s.core.control().cancel(new dev.cadre.protocol.ControlRequest.CancelJob(id));
        assertEquals(List.of("Slurm Job_id=" + id + " Name=job Ended, CANCELLED, ExitCode 0"),
                subjects(o.decisions()));
    }

    @Test
    void noneOrNoTypesSendNothing() {
        s.node("n1", 4);
        long none = s.submit(mailing("NONE").mailUser("bob@example.org"));
        long absent = s.submit(CoreScenario.spec());
        assertEquals(List.of(), schedule());
        assertEquals(List.of(), end(none, 1, 0, null));
        assertEquals(List.of(), end(absent, 1, 0, null));
    }

    @Test
    void anArrayMailsItsFirstStartAndOneSummaryAtItsEnd() {
        s.node("n1", 2);
        long array = s.submit(mailing("BEGIN", "END").array("0-2"));
        assertEquals(List.of("Slurm Array Summary Job_id=" + array + "_* (" + array + ") Name=job Began"),
                schedule());
        List<JobRecord> running = s.inState(JobState.RUNNING);
        assertEquals(List.of(), end(running.get(0).id(), 0, 0, null));
        assertEquals(List.of(), schedule(), "the third task's start is no news: the array began");
        assertEquals(List.of(), end(running.get(1).id(), 2, 0, null));
        long last = s.inState(JobState.RUNNING).get(0).id();
        assertEquals(List.of("Slurm Array Summary Job_id=" + array + "_* (" + array
                + ") Name=job Ended, Mixed, ExitCode [0-2]"), end(last, 0, 0, null));
    }

    /** The head restarts between the array's task ends: its summary counts the ends stored before the restart. */
    @Test
    void anArraysSummaryCountsTheTasksThatEndedBeforeTheHeadRestarted() {
        s.node("n1", 3);
        long array = s.submit(mailing("END").array("0-2"));
        schedule();
        List<JobRecord> running = s.inState(JobState.RUNNING);
        assertEquals(3, running.size());
        assertEquals(List.of(), end(running.get(0).id(), 2, 0, null));
        long highest = s.stored.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        SchedulerCore restarted = s.restartedHead(highest);
        assertEquals(List.of(), endOn(restarted, running.get(1).id(), 0));
        assertEquals(List.of("Slurm Array Summary Job_id=" + array + "_* (" + array
                + ") Name=job Ended, Mixed, ExitCode [0-2]"), endOn(restarted, running.get(2).id(), 0),
                "the failure before the restart counts");
    }

    /** A cancel ends the array's record and a part a hold split off in one decision: one summary, not two. */
    @Test
    void recordsOfAnArrayEndingTogetherGetOneSummary() {
        long array = s.submit(mailing("END").array("0-3"));
        s.holdTasks(array, "2", false);
        var o = s.core.control().cancel(new ControlRequest.CancelJob(array));
        assertEquals(2, s.apply(o.decisions()).changes().size(), "the record and the part end together");
        assertEquals(List.of("Slurm Array Summary Job_id=" + array + "_* (" + array
                + ") Name=job Ended, CANCELLED, ExitCode [0-0]"), s.core.mailFor(o.decisions()).stream()
                .map(JobMail.Notice::subject).toList());
    }

    private List<String> endOn(SchedulerCore core, long id, int exit) {
        JobRecord j = s.job(id);
        return core.mailFor(s.apply(core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, j.attempt(),
                j.allocation().coordinator().nodeId(), exit, 0, null, s.clock.instant(), null)))).stream()
                .map(JobMail.Notice::subject).toList();
    }

    @Test
    void arrayTasksAsksForEachTasksOwnMails() {
        s.node("n1", 1);
        long array = s.submit(mailing("BEGIN", "FAIL", "ARRAY_TASKS").array("4-5"));
        List<String> first = schedule();
        long task = s.inState(JobState.RUNNING).get(0).id();
        assertEquals(List.of("Slurm Array Task Job_id=" + array + "_4 (" + task + ") Name=job Began, Queued time"
                + " 00:00:00"), first);
        s.clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("Slurm Array Task Job_id=" + array + "_4 (" + task + ") Name=job Failed, Run time"
                + " 00:00:02, FAILED, ExitCode 3"), end(task, 3, 0, null));
        assertEquals(1, schedule().size());
    }

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    static JobRecord running(long id, int attempt, Instant start, String... types) {
        JobSpec spec = mailing(types).timeLimitSeconds(100L).build();
        return new JobRecord(id, "k", spec, JobState.RUNNING, null, attempt, null, true, null, null,
                start.minusSeconds(10), start, null, null, null);
    }

    @Test
    void aRequeueAndADependencyThatCanNeverHoldAreMailedOnce() {
        JobMail mail = new JobMail(noArrays(), T0);
        JobRecord run = running(9, 1, T0, "REQUEUE", "INVALID_DEPEND");
        AttemptRecord attempt = new AttemptRecord(9, 1, "n1", T0, T0.plusSeconds(42), JobState.NODE_FAIL, null, null,
                "node lost");
        JobChange requeued = new JobChange(run.requeued("NodeFail", null), JobState.RUNNING, T0.plusSeconds(42),
                attempt);
        assertEquals(List.of("Slurm Job_id=9 Name=job Requeued, Run time 00:00:42"), subjects(mail, requeued));
        JobRecord hopeless = run.requeued("x", null).withState(JobState.PENDING, "DependencyNeverSatisfied");
        JobChange relabel = new JobChange(hopeless, JobState.PENDING, T0, null);
        assertEquals(List.of("Slurm Job_id=9 Name=job Invalid dependency"), subjects(mail, relabel));
        assertEquals(List.of(), subjects(mail, relabel), "the same news once");
    }

    @Test
    void timesPastADayCountDaysAsSlurmDoes() {
        assertEquals("00:00:00", JobMail.duration(Duration.ZERO));
        assertEquals("23:59:59", JobMail.duration(Duration.ofSeconds(86_399)));
        assertEquals("1-02:03:04", JobMail.duration(Duration.ofSeconds(86_400 + 2 * 3600 + 3 * 60 + 4)));
        assertEquals("INVALID", JobMail.duration(Duration.ofSeconds(-1)));
    }

    private static List<String> subjects(JobMail mail, JobChange c) {
        return mail.forChanges(List.of(c)).stream().map(JobMail.Notice::subject).toList();
    }

    static JobMail.Arrays noArrays() {
        return new JobMail.Arrays() {
            @Override
            public boolean begunBefore(long arrayJobId, Instant time) {
                return false;
            }

            @Override
            public boolean unfinished(long arrayJobId) {
                return false;
            }

            @Override
            public Map<JobState, JobHistory.ExitRange> ended(long arrayJobId) {
                return Map.of();
            }
        };
    }

    @Test
    void stageOutIsAcceptedAndNeverSent() {
        s.node("n1", 4);
        long id = s.submit(mailing("STAGE_OUT"));
        assertTrue(schedule().isEmpty());
        assertTrue(end(id, 0, 0, null).isEmpty());
    }
}
