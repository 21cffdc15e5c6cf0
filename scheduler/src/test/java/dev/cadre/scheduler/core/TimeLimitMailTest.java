package dev.cadre.scheduler.core;

import static dev.cadre.scheduler.core.JobMailTest.T0;
import static dev.cadre.scheduler.core.JobMailTest.noArrays;
import static dev.cadre.scheduler.core.JobMailTest.running;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TIME_LIMIT_50, _80 and _90 mails (JobMail.forTime): each share of a job once, as Slurm's job_time_limit mails
 * it while its bit is still set in the job's mail_type, across restarts of the head and requeues of the job.
 */
class TimeLimitMailTest {
    @Test
    void eachShareOfTheTimeLimitIsMailedOnceAsThePassFirstSeesItPassed() {
        JobMail mail = new JobMail(noArrays(), T0);
        JobRecord j = running(7, 1, T0, "TIME_LIMIT_50", "TIME_LIMIT_90");
        assertEquals(List.of(), due(mail, j, T0.plusSeconds(49)));
        assertEquals(List.of(new JobMail.Notice(7, "alice", "Slurm Job_id=7 Name=job Reached 50% of time limit,"
                + " Run time 00:00:50")), due(mail, j, T0.plusSeconds(50)));
        assertEquals(List.of(), due(mail, j, T0.plusSeconds(85)), "once; 80% was not asked for");
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 90% of time limit, Run time 00:01:35"),
                due(mail, j, T0.plusSeconds(95)).stream().map(JobMail.Notice::subject).toList());
        assertEquals(List.of(), due(mail, j, T0.plusSeconds(99)));
    }

    @Test
    void theSharesOfASuspendedJobWaitAndCountWithoutTheTimeItSpentSuspended() {
        JobMail mail = new JobMail(noArrays(), T0);
        JobRecord j = running(7, 1, T0, "TIME_LIMIT_50");
        JobRecord suspended = j.suspended(T0.plusSeconds(40));
        assertEquals(List.of(), due(mail, suspended, T0.plusSeconds(300)), "no share while suspended");
        JobRecord resumed = suspended.resumed(T0.plusSeconds(300));
        assertEquals(List.of(), due(mail, resumed, T0.plusSeconds(309)), "40 s + 9 s of 100 s run");
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 50% of time limit, Run time 00:00:50"),
                due(mail, resumed, T0.plusSeconds(310)).stream().map(JobMail.Notice::subject).toList());
    }

    private static List<JobMail.Notice> due(JobMail mail, JobRecord j, Instant now) {
        return mail.forTime(List.of(j), id -> true, now).notices();
    }

    private static List<String> subjects(JobMail.TimeLimitMail m) {
        return m.notices().stream().map(JobMail.Notice::subject).toList();
    }

    /** The head stops after the 50 % mail and starts again past 90 %: the shares passed meanwhile are mailed once. */
    @Test
    void aSharePassedWhileNoHeadRanIsMailedOnceAfterTheRestart() {
        JobMail first = new JobMail(noArrays(), T0);
        JobRecord j = running(7, 1, T0, "TIME_LIMIT_50", "TIME_LIMIT_80", "TIME_LIMIT_90");
        JobMail.TimeLimitMail half = first.forTime(List.of(j), id -> true, T0.plusSeconds(50));
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 50% of time limit, Run time 00:00:50"), subjects(half));
        assertEquals(List.of(new JobMail.SharesMailed(7, 1, 1)), half.marks(), "to store before the mail goes");

        JobMail restarted = new JobMail(noArrays(), T0.plusSeconds(95));
        restarted.recover(half.marks());
        JobMail.TimeLimitMail late = restarted.forTime(List.of(j), id -> true, T0.plusSeconds(95));
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 90% of time limit, Run time 00:01:35",
                "Slurm Job_id=7 Name=job Reached 80% of time limit, Run time 00:01:35"), subjects(late),
                "both passed while no head ran, 90 % first; 50 % not again");
        assertEquals(List.of(new JobMail.SharesMailed(7, 1, 7)), late.marks());
        assertEquals(new JobMail.TimeLimitMail(List.of(), List.of()), restarted.forTime(List.of(j), id -> true, T0.plusSeconds(96)),
                "nothing new: nothing to store");
    }

    @Test
    void aShareStoredAsMailedIsNeverMailedAgain() {
        JobMail restarted = new JobMail(noArrays(), T0.plusSeconds(99));
        restarted.recover(List.of(new JobMail.SharesMailed(7, 1, 3), new JobMail.SharesMailed(8, 1, 7)));
        JobRecord seven = running(7, 1, T0, "TIME_LIMIT_50", "TIME_LIMIT_80", "TIME_LIMIT_90");
        JobRecord eight = running(8, 1, T0, "TIME_LIMIT_50", "TIME_LIMIT_80", "TIME_LIMIT_90");
        JobMail.TimeLimitMail due = restarted.forTime(List.of(seven, eight), id -> true, T0.plusSeconds(99));
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 90% of time limit, Run time 00:01:39"), subjects(due));
        assertEquals(List.of(new JobMail.SharesMailed(7, 1, 7)), due.marks());
        JobRecord requeued = running(8, 2, T0.plusSeconds(100), "TIME_LIMIT_50");
        assertEquals(List.of(), due(restarted, requeued, T0.plusSeconds(150)), "nor in the job's next attempt");
    }

    /** scontrol update TimeLimit=: a share not yet mailed follows the new limit; one mailed stays mailed, as in Slurm. */
    @Test
    void aTimeLimitUpdateMovesTheSharesNotYetMailed() {
        JobMail mail = new JobMail(noArrays(), T0);
        JobRecord j = running(7, 1, T0, "TIME_LIMIT_50", "TIME_LIMIT_80", "TIME_LIMIT_90");
        assertEquals(1, due(mail, j, T0.plusSeconds(50)).size());
        JobRecord longer = j.withSpec(j.spec().toBuilder().timeLimitSeconds(200L).build());
        assertEquals(List.of(), due(mail, longer, T0.plusSeconds(150)), "80 % is now at 160 s; 50 % was mailed");
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 80% of time limit, Run time 00:02:40"),
                due(mail, longer, T0.plusSeconds(160)).stream().map(JobMail.Notice::subject).toList());
        JobRecord shorter = j.withSpec(j.spec().toBuilder().timeLimitSeconds(170L).build());
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 90% of time limit, Run time 00:02:41"),
                due(mail, shorter, T0.plusSeconds(161)).stream().map(JobMail.Notice::subject).toList(),
                "90 % of the new limit passed at 153 s: mailed at the next pass");
    }

    /**
     * A limit shortened (scontrol update TimeLimit=) past several shares at once: each is mailed, at the next pass,
     * in the order slurmctld's job_time_limit tests them, MAIL_JOB_TIME90 before _80 before _50, each clearing its bit.
     */
    @Test
    void sharesPassedTogetherAreEachMailedTheHighestFirst() {
        JobMail mail = new JobMail(noArrays(), T0);
        JobRecord j = running(7, 1, T0, "TIME_LIMIT_50", "TIME_LIMIT_80", "TIME_LIMIT_90");
        assertEquals(List.of(), due(mail, j, T0.plusSeconds(45)));
        JobRecord shortened = j.withSpec(j.spec().toBuilder().timeLimitSeconds(50L).build());
        JobMail.TimeLimitMail all = mail.forTime(List.of(shortened), id -> true, T0.plusSeconds(46));
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 90% of time limit, Run time 00:00:46",
                "Slurm Job_id=7 Name=job Reached 80% of time limit, Run time 00:00:46",
                "Slurm Job_id=7 Name=job Reached 50% of time limit, Run time 00:00:46"), subjects(all));
        assertEquals(List.of(new JobMail.SharesMailed(7, 1, 7)), all.marks());
        assertEquals(List.of(), due(mail, shortened, T0.plusSeconds(47)), "each once");
    }

    /**
     * An attempt that ran when cadre.db began to keep the marks (the migration marks it): the head before may have
     * mailed a share that passed before this one started, so that share is only marked.
     */
    @Test
    void anAttemptFromBeforeTheMarksCountsTheSharesPassedBeforeThisHeadAsMailed() {
        JobMail mail = new JobMail(noArrays(), T0.plusSeconds(70));
        mail.recover(List.of(new JobMail.SharesMailed(7, 1, JobMail.MAILED_BEFORE_MARKS)));
        JobRecord j = running(7, 1, T0, "TIME_LIMIT_50", "TIME_LIMIT_80");
        assertEquals(new JobMail.TimeLimitMail(List.of(), List.of(new JobMail.SharesMailed(7, 1, 1))),
                mail.forTime(List.of(j), id -> true, T0.plusSeconds(75)));
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 80% of time limit, Run time 00:01:20"),
                due(mail, j, T0.plusSeconds(80)).stream().map(JobMail.Notice::subject).toList());
    }


    /**
     * Slurm clears a share's bit in the job's mail_type as it mails it, and a requeue sets none again: the next attempt
     * of a requeued job is mailed only the shares not mailed before, and its mark names it, the job's shares kept while
     * it waited (not running, not ended).
     */
    @Test
    void aRequeuedJobIsNotMailedAgainTheSharesMailedInAnEarlierAttempt() {
        JobMail mail = new JobMail(noArrays(), T0);
        JobRecord first = running(7, 1, T0, "TIME_LIMIT_50", "TIME_LIMIT_80");
        assertEquals(1, due(mail, first, T0.plusSeconds(50)).size());
        assertEquals(new JobMail.TimeLimitMail(List.of(), List.of()), mail.forTime(List.of(), id -> id == 7,
                T0.plusSeconds(80)), "requeued, waiting to start again");
        JobRecord second = running(7, 2, T0.plusSeconds(100), "TIME_LIMIT_50", "TIME_LIMIT_80");
        assertEquals(new JobMail.TimeLimitMail(List.of(), List.of()), mail.forTime(List.of(second), id -> true,
                T0.plusSeconds(150)), "50 % was mailed; its row holds it already, as the store copied it");
        JobMail.TimeLimitMail late = mail.forTime(List.of(second), id -> true, T0.plusSeconds(180));
        assertEquals(List.of("Slurm Job_id=7 Name=job Reached 80% of time limit, Run time 00:01:20"), subjects(late));
        assertEquals(List.of(new JobMail.SharesMailed(7, 2, 3)), late.marks());

        mail.forTime(List.of(), id -> false, T0.plusSeconds(200));
        assertEquals(1, due(mail, running(7, 3, T0.plusSeconds(300), "TIME_LIMIT_50"), T0.plusSeconds(350)).size(),
                "forgotten once the job has ended");
    }

    /**
     * A head started while a requeued job waits reads the shares of its latest attempt: its next attempt is not mailed
     * them. A mark of an attempt from before the marks stays with that attempt: the next one's shares passed while no
     * head ran are mailed.
     */
    @Test
    void aRestartedHeadKeepsTheSharesOfARequeuedJobForItsNextAttempt() {
        JobMail restarted = new JobMail(noArrays(), T0.plusSeconds(200));
        restarted.recover(List.of(new JobMail.SharesMailed(7, 1, 1),
                new JobMail.SharesMailed(8, 1, JobMail.MAILED_BEFORE_MARKS)));
        JobRecord seven = running(7, 2, T0.plusSeconds(100), "TIME_LIMIT_50");
        JobRecord eight = running(8, 2, T0.plusSeconds(100), "TIME_LIMIT_50");
        JobMail.TimeLimitMail due = restarted.forTime(List.of(seven, eight), id -> true, T0.plusSeconds(200));
        assertEquals(List.of("Slurm Job_id=8 Name=job Reached 50% of time limit, Run time 00:01:40"), subjects(due));
        assertEquals(List.of(new JobMail.SharesMailed(8, 2, 1)), due.marks());
    }
}
