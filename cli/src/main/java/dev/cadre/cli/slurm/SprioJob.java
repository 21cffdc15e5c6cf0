package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.FairShare;
import dev.cadre.protocol.JobPriority;
import java.time.Instant;

/**
 * A pending job's priority split into Slurm's factors, as sprio shows it. Cadre's computed priority (docs/protocol.md
 * 5.6) is Slurm's multifactor sum with four terms: a site factor of 1,000,000 for every job, an age factor of a point
 * per minute waited up to a week (PriorityWeightAge 10080 over PriorityMaxAge 7-0), its user's fair-share factor
 * times the head's --priority-weight-fairshare (0 by default), less the nice value. A priority
 * fixed by scontrol update is Slurm's direct priority: it stands alone, every factor 0.
 *
 * @param fixed the priority was fixed (scontrol update Priority=P), not computed
 * @param site the constant every computed priority starts from; 0 when fixed
 * @param age the points for time waited; 0 when fixed
 * @param nice the nice value taken off; 0 when fixed, as sprio shows a direct priority's
 * @param fairShare the points of its user's fair-share factor at the head's weight; 0 when fixed
 * @param fairShareFactor its user's fair-share factor, from 0 to 1
 */
public record SprioJob(long id, String user, String partition, long priority, boolean fixed, long site, long age,
        int nice, long fairShare, double fairShareFactor) {

    /** Slurm's PriorityWeightAge for Cadre's rule: a week of minutes, reached after PriorityMaxAge (a week). */
    public static final long AGE_WEIGHT = JobPriority.MAX_AGE_MINUTES;

    /** sprio's site factor weight: always 1. */
    public static final long SITE_WEIGHT = 1;

    /**
     * A job as GET /api/jobs describes it, its factors as at {@code now}, by the rule squeue's and scontrol's priority
     * follow ({@link ScontrolJobFormat#priority}).
     */
    public static SprioJob of(Json j, Instant now) {
        return of(j, now, FairShare.NONE);
    }

    /** As {@link #of(Json, Instant)}, with its user's fair-share points as the head last worked them out. */
    public static SprioJob of(Json j, Instant now, FairShare shares) {
        boolean fixed = j.hasNonNull("priority");
        long priority = ScontrolJobFormat.priority(j, now);
        String user = j.path("user").asText("");
        String partition = j.path("partition").asText(SqueueJob.PARTITION);
        if (fixed) {
            return new SprioJob(j.path("id").asLong(), user, partition, priority, true, 0, 0, 0, 0, 0);
        }
        long points = shares.points(user);
        return new SprioJob(j.path("id").asLong(), user, partition, priority + points, false,
                JobPriority.BASE, ScontrolJobFormat.agePoints(j, now), j.path("nice").asInt(0), points,
                shares.weight() == 0 ? 0 : (double) points / shares.weight());
    }

    /**
     * Whether sprio lists it, as slurmctld gives sprio its jobs: pending (requeued is pending in Slurm), not held (a
     * held job's priority is 0), and eligible by now (no --begin or backoff still ahead).
     */
    public static boolean listed(Json j, Instant now) {
        String state = j.path("state").asText();
        if (!state.equals("PENDING") && !state.equals("REQUEUED") || j.hasNonNull("hold")) {
            return false;
        }
        for (String field : new String[] {"beginTime", "eligibleTime"}) {
            Instant t = j.path(field).asInstant();
            if (t != null && t.isAfter(now)) {
                return false;
            }
        }
        return true;
    }

    /** The age factor normalised, as sprio's %a: the fraction of the most it can reach. */
    public double normalisedAge() {
        return (double) age / AGE_WEIGHT;
    }
}
