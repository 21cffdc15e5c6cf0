package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.protocol.JobRecord;
import dev.cadre.scheduler.core.Refusal;
import dev.cadre.scheduler.core.SchedulerCore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which submissions of a batch are stored and which are refused: a job the known nodes could never hold, or whose
 * dependency names no job, is refused instead of stored, unless its submission key already made a job: a
 * resubmission is answered with that job, whatever the cluster has become since.
 */
final class SubmissionScreening {
    /**
     * One submission's outcome: exactly one of the two is set.
     *
     * @param rejection why the job was refused, nothing stored: reply job-rejected with its code, its problem's
     *        field, and the problem's text as the reason
     */
    record AdmitOutcome(JobStore.Admission admission, Refusal rejection) {
    }

    private final SchedulerCore core;
    private final JobStore jobs;

    SubmissionScreening(SchedulerCore core, JobStore jobs) {
        this.core = core;
        this.jobs = jobs;
    }

    /**
     * Under the core's lock. Outcomes are in the order of the jobs given.
     *
     * @param admit stores the jobs that pass, in their order, and answers each one's admission
     */
    List<AdmitOutcome> admitOrReject(List<JobStore.NewJob> newJobs,
            Function<List<JobStore.NewJob>, List<JobStore.Admission>> admit) {
        List<Refusal> problems = new ArrayList<>(newJobs.size());
        List<String> refusedKeys = new ArrayList<>();
        for (JobStore.NewJob j : newJobs) {
            Refusal p = core.refusal(j.spec()).orElse(null);
            problems.add(p);
            if (p != null) {
                refusedKeys.add(j.submissionKey());
            }
        }
        Map<String, JobRecord> earlier = refusedKeys.isEmpty() ? Map.of() : jobs.findBySubmissionKeys(refusedKeys);
        List<JobStore.NewJob> stored = new ArrayList<>();
        for (int i = 0; i < newJobs.size(); i++) {
            if (problems.get(i) == null || earlier.containsKey(newJobs.get(i).submissionKey())) {
                stored.add(newJobs.get(i));
            }
        }
        Iterator<JobStore.Admission> admitted = (stored.isEmpty() ? List.<JobStore.Admission>of()
                : admit.apply(stored)).iterator();
        List<AdmitOutcome> out = new ArrayList<>(newJobs.size());
        for (int i = 0; i < newJobs.size(); i++) {
            boolean refused = problems.get(i) != null && !earlier.containsKey(newJobs.get(i).submissionKey());
            out.add(refused ? new AdmitOutcome(null, problems.get(i)) : new AdmitOutcome(admitted.next(), null));
        }
        return out;
    }
}
