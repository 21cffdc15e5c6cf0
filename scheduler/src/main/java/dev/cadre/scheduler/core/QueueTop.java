package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply.TopResult;
import dev.cadre.protocol.JobPriority;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * scontrol top, decided as slurmctld's job_set_top and _set_top decide it. The listed jobs still pending and not held
 * take, in the order listed, the highest of the priorities that they and the first one's user's other pending jobs
 * (not held) have now; a job that would take the priority the one before it took, or a higher one, gets one less
 * (Slurm compares for equality alone, so a third job tying with the first two would take the first's priority again
 * and run before the second: Cadre keeps the order named, which ties are common for, jobs submitted in the same
 * minute having the same priority). Each listed job's nice falls by
 * what its priority rose (a fixed priority is set instead, as Slurm sets the priority itself), and those others, in
 * id order, each take an even share of the total back on their nice, the remainder going to the last ones, but always
 * end below the last listed job: as Slurm says, the user's throughput changes negligibly, at worst slightly for the
 * worse. Priority is base plus age less nice ({@link JobPriority}), and age grows alike for all, so the order holds.
 */
public final class QueueTop {
    private QueueTop() {
    }

    /**
     * A job's new nice and fixed priority; priority is null for a job whose priority is computed.
     */
    public record Change(long jobId, int nice, Long priority) {
    }

    /** The changes to make, in the order decided, or the refusal that makes none. */
    public record Decision(List<Change> changes, TopResult refusal) {
        static Decision refused(String code, JobRecord about, String reason) {
            return new Decision(List.of(), TopResult.refused(code, about == null ? null : about.id(),
                    about == null ? null : about.state(), reason));
        }
    }

    /**
     * @param listed the records named, in the order named; null for a name that is no job the scheduler holds (left
     *        out as a job not pending is)
     * @param names the names as given ("12", "12_3"), for the refusals' words; as many as listed
     * @param pending every pending record: where the others that make way are found
     * @param user who asks
     * @param operator the asker is an operator: any user's jobs, whatever enableUserTop says
     * @param enableUserTop the head lets users who are not operators move their own jobs (Slurm's enable_user_top)
     */
    public static Decision decide(List<JobRecord> listed, List<String> names, Collection<JobRecord> pending,
            String user, boolean operator, boolean enableUserTop, Clock clock) {
        if (!operator && !enableUserTop) {
            return Decision.refused(TopResult.ACCESS_DENIED, null, "only an operator may move jobs to the top of the"
                    + " queue; the head's --enable-user-top lets users move their own");
        }
        Instant now = clock.instant();
        Map<Long, JobRecord> moved = new LinkedHashMap<>();
        Decision skipped = null;
        for (int i = 0; i < listed.size(); i++) {
            JobRecord j = listed.get(i);
            if (j == null) {
                // The scheduler holds unfinished jobs alone; the REST API answers a job never stored with 404.
                skipped = Decision.refused(TopResult.NOT_PENDING, null, "job " + names.get(i) + " is unknown or"
                        + " already finished");
            } else if (!operator && !j.spec().user().equals(user)) {
                return Decision.refused(TopResult.ACCESS_DENIED, j, "job " + j.displayId() + " is "
                        + j.spec().user() + "'s; " + user + " may move only their own jobs");
            } else if (j.state() != JobState.PENDING) {
                skipped = Decision.refused(TopResult.NOT_PENDING, j, "job " + j.displayId() + " is " + j.state()
                        + "; only pending jobs can be moved to the top");
            } else if (j.spec().hold() != null) {
                skipped = Decision.refused(TopResult.HELD, j, "job " + j.displayId() + " is held; release it first");
            } else {
                moved.putIfAbsent(j.id(), j);
            }
        }
        if (moved.isEmpty()) {
            return skipped;
        }
        String owner = moved.values().iterator().next().spec().user();
        List<JobRecord> others = new ArrayList<>();
        for (JobRecord j : pending) {
            if (j.state() == JobState.PENDING && j.spec().hold() == null && !moved.containsKey(j.id())
                    && j.spec().user().equals(owner) && JobPriority.of(j, now) > 1) {
                others.add(j);
            }
        }
        others.sort(Comparator.comparingLong(JobRecord::id));
        List<Long> pool = new ArrayList<>();
        moved.values().forEach(j -> pool.add(JobPriority.of(j, now)));
        others.forEach(j -> pool.add(JobPriority.of(j, now)));
        pool.sort(Comparator.reverseOrder());
        List<Change> changes = new ArrayList<>();
        long last = Long.MIN_VALUE;
        long total = 0;
        int next = 0;
        for (JobRecord j : moved.values()) {
            long priority = pool.get(next++);
            if (last != Long.MIN_VALUE && priority >= last && last > 2) {
                priority = last - 1;
            }
            last = priority;
            long delta = priority - JobPriority.of(j, now);
            total += delta;
            changes.add(change(j, -delta, priority));
        }
        int left = others.size();
        for (JobRecord j : others) {
            long was = JobPriority.of(j, now);
            long delta = total / left--;
            long priority = was - delta;
            if (priority >= last) {
                priority = last - 1;
                delta = was - priority;
            }
            total -= delta;
            changes.add(change(j, delta, priority));
        }
        Map<Long, JobRecord> byId = new LinkedHashMap<>(moved);
        others.forEach(o -> byId.put(o.id(), o));
        changes.removeIf(c -> c.nice() == byId.get(c.jobId()).spec().niceOrZero()
                && (c.priority() == null || c.priority().equals(byId.get(c.jobId()).spec().priority())));
        for (Change c : changes) {
            if (Math.abs((long) c.nice()) > JobSpecValidator.MAX_NICE || c.priority() != null && (c.priority() < 0
                    || c.priority() > JobSpecValidator.MAX_PRIORITY)) {
                JobRecord j = byId.get(c.jobId());
                return Decision.refused(TopResult.OUT_OF_RANGE, j, "moving them would take job " + j.displayId()
                        + "'s " + (c.priority() == null ? "nice to " + c.nice() + ", beyond +-" + JobSpecValidator.MAX_NICE
                        : "priority to " + c.priority() + ", beyond 0-" + JobSpecValidator.MAX_PRIORITY));
            }
        }
        return new Decision(changes, null);
    }

    /** A job's priority moved by -niceDelta: its nice changes, or its fixed priority is set. */
    private static Change change(JobRecord j, long niceDelta, long priority) {
        boolean fixed = j.spec().priority() != null;
        long nice = fixed ? j.spec().niceOrZero() : j.spec().niceOrZero() + niceDelta;
        // A nice out of int's range is refused as out of range with the others.
        int bounded = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, nice));
        return new Change(j.id(), bounded, fixed ? priority : null);
    }
}
