package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.MailType;
import java.util.List;
import java.util.Set;

/**
 * What scontrol update MailType= does to the time-limit shares a job was mailed about. slurmctld's _update_job sets
 * the job's mail_type anew, and with it the MAIL_JOB_TIME50, 80 and 90 bits that job_time_limit cleared as it mailed
 * each share: a share the new types name is mailed again at the next check that finds it passed. Cadre marks the
 * shares mailed instead ({@link JobMail.SharesMailed}), so the update clears the marks of the shares it names, and
 * the mark of an attempt that ran before marks were kept ({@link JobMail#MAILED_BEFORE_MARKS}), which would otherwise
 * count a share passed before this head as mailed. The marks of shares it does not name stay: while unnamed they are
 * never mailed, and a later update naming them clears them. Pure.
 */
final class RetypedMail {
    private RetypedMail() {
    }

    /**
     * Marks in the decision of an update the shares no longer mailed of each record it named that now has the mail
     * types it gave: even the types a job had already, as slurmctld sets them anew all the same.
     *
     * @param types the update's mail types, null when it gives none
     */
    static void afterUpdate(List<JobRecord> named, List<String> types, JobTable jobs, JobMail mail, Decisions d) {
        for (JobRecord before : types == null ? List.<JobRecord>of() : named) {
            JobRecord j = jobs.get(before.id());
            JobMail.SharesMailed m = j != null && types.equals(j.spec().mailType()) ? mail.retyped(j) : null;
            if (m != null) {
                d.mark(m);
            }
        }
    }

    /**
     * The job's mark with the shares its new mail types name cleared, to store in the row of its latest attempt, or
     * null when it changes nothing: no share mailed, or none named.
     *
     * @param j the job with its new mail types
     * @param known its mark as the head holds it, null for none
     */
    static JobMail.SharesMailed cleared(JobRecord j, JobMail.SharesMailed known) {
        if (known == null) {
            return null;
        }
        Set<MailType> types = MailType.of(j.spec().mailType());
        int named = 0;
        for (JobMail.Share share : JobMail.THRESHOLDS) {
            named |= types.contains(share.type()) ? share.bit() : 0;
        }
        if (named == 0) {
            return null;
        }
        // A later attempt's row holds the shares of the one before, less the bit that speaks of that one's time.
        int stored = known.attempt() == j.attempt() ? known.shares()
                : known.shares() & ~JobMail.MAILED_BEFORE_MARKS;
        int left = stored & ~named & ~JobMail.MAILED_BEFORE_MARKS;
        return left == stored && known.attempt() == j.attempt() ? null
                : new JobMail.SharesMailed(j.id(), j.attempt(), left);
    }
}
