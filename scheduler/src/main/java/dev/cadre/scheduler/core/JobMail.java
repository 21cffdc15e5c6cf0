package dev.cadre.scheduler.core;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MailType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Which mails a job's changes and the passing of its time limit call for (--mail-type), with the subject lines
 * Slurm's controller writes (its mail_job_info): {@code Slurm Job_id=12 Name=x Began, Queued time 00:00:01},
 * {@code ... Ended, Run time 00:00:05, COMPLETED, ExitCode 0}. An array without ARRAY_TASKS gets one Began, when
 * its first task starts, and one summary once every task has ended ({@code Slurm Array Summary Job_id=12_* (12)
 * Name=x Ended, COMPLETED, ExitCode [0-0]}); its other mails are its tasks' own. The summary counts every record of
 * the array that ended, as the store holds them, so the heads before this one count too. Pure; used under the core's
 * lock.
 */
public final class JobMail {
    /** One mail: the mail program is run with {@code -s subject recipient} and an empty body. */
    public record Notice(long jobId, String recipient, String subject) {
    }

    /**
     * The shares of its time limit a job has been mailed about in this attempt and those before it: bit 1 for 50 %, 2
     * for 80 %, 4 for 90 %, and {@link #MAILED_BEFORE_MARKS} for an attempt that ran under a head that kept no marks
     * (db's TimeLimitMailed, in the attempt's row).
     */
    public record SharesMailed(long jobId, int attempt, int shares) {
    }

    /** A pass's time-limit mails, and the marks to store before they are sent, so that none is sent twice. */
    public record TimeLimitMail(List<Notice> notices, List<SharesMailed> marks) {
    }

    /** What the core knows of an array beyond one change. */
    public interface Arrays {
        /** Whether a record of the array started before this time, or one of its tasks has ended. */
        boolean begunBefore(long arrayJobId, Instant time);

        /** Whether any record of the array has not ended. */
        boolean unfinished(long arrayJobId);

        /**
         * The array's ended records as stored, by end state with their exit codes ({@link JobHistory#arrayExits}):
         * asked once, as its last record ends, after the change is stored.
         */
        Map<JobState, JobHistory.ExitRange> ended(long arrayJobId);
    }

    static final String NEVER_SATISFIED = Eligibility.NEVER_SATISFIED;
    /** The shares of a time limit, with their types, highest first: shares passed at once go out as Slurm's do. */
    static final List<Share> THRESHOLDS = List.of(new Share(MailType.TIME_LIMIT_90, 90, 4),
            new Share(MailType.TIME_LIMIT_80, 80, 2), new Share(MailType.TIME_LIMIT_50, 50, 1));

    /** @param bit its bit in {@link SharesMailed#shares} */
    record Share(MailType type, int percent, int bit) {
    }

    /** The mark of an attempt running when the marks began to be stored: its shares passed before this head count. */
    public static final int MAILED_BEFORE_MARKS = 8;
    private static final List<JobState> WORST_FIRST = List.of(JobState.FAILED, JobState.OUT_OF_MEMORY,
            JobState.TIMEOUT, JobState.NODE_FAIL, JobState.DEADLINE, JobState.CANCELLED, JobState.COMPLETED);

    private final Arrays arrays;
    private final Instant since;
    /**
     * The shares mailed of each unfinished job, with the attempt whose row holds them, as stored: a requeued job keeps
     * them for its next attempt, as Slurm's job keeps its mail_type with those bits cleared.
     */
    private final Map<Long, SharesMailed> sharesMailed = new HashMap<>();
    private final Set<Long> begunArrays = new HashSet<>();
    /** Pending jobs whose never-satisfied dependency was mailed: a later change of theirs is not that news again. */
    private final Set<Long> invalidDependMailed = new HashSet<>();

    /**
     * @param since when this head started: for an attempt marked {@link #MAILED_BEFORE_MARKS}, a share of its time
     *        limit that passed before it counts as mailed, as the head before may have mailed it
     */
    public JobMail(Arrays arrays, Instant since) {
        this.arrays = arrays;
        this.since = since;
    }

    /**
     * The marks stored for the unfinished jobs' latest attempts, as a head starts: a share marked is never mailed
     * again, in that attempt or a later one.
     */
    public void recover(Collection<SharesMailed> stored) {
        stored.forEach(m -> sharesMailed.put(m.jobId(), m));
    }

    /**
     * scontrol update MailType= of this job, as the update leaves it ({@link RetypedMail}): the mark to store before
     * the next pass, or null when none changes.
     */
    SharesMailed retyped(JobRecord j) {
        SharesMailed m = RetypedMail.cleared(j, sharesMailed.get(j.id()));
        if (m != null) {
            sharesMailed.put(j.id(), m);
        }
        return m;
    }

    /** The mails for the changes of one decision, in their order. */
    public List<Notice> forChanges(List<JobChange> changes) {
        List<Notice> out = new ArrayList<>();
        // Records of one array that end in the same decision all find it finished: its summary is mailed once.
        Set<Long> summarised = new HashSet<>();
        for (JobChange c : changes) {
            if (c.job().spec().mailType() != null) {
                forChange(c, MailType.of(c.job().spec().mailType()), out, summarised);
            }
        }
        return out;
    }

    private void forChange(JobChange c, Set<MailType> types, List<Notice> out, Set<Long> summarised) {
        JobRecord j = c.job();
        boolean whole = j.array() != null && !types.contains(MailType.ARRAY_TASKS);
        if (c.movesState() && j.state() == JobState.RUNNING && types.contains(MailType.BEGIN)) {
            if (!whole) {
                out.add(notice(j, "Began" + time("Queued", j.submitTime(), j.startTime())));
            } else if (!begunArrays.contains(j.arrayJobId()) && !arrays.begunBefore(j.arrayJobId(), c.time())) {
                begunArrays.add(j.arrayJobId());
                out.add(summary(j, "Began"));
            }
        }
        if (NEVER_SATISFIED.equals(j.reason()) && types.contains(MailType.INVALID_DEPEND)
                && (j.state() == JobState.PENDING || c.movesState() && j.state() == JobState.CANCELLED)
                && invalidDependMailed.add(j.id())) {
            out.add(notice(j, "Invalid dependency"));
        }
        if (j.state() != JobState.PENDING) {
            invalidDependMailed.remove(j.id());
        }
        if (!c.movesState()) {
            return;
        }
        AttemptRecord a = c.attempt();
        if (j.state() == JobState.REQUEUED && types.contains(MailType.REQUEUE)) {
            out.add(notice(j, "Requeued" + (a == null ? "" : time("Run", a.startTime(), a.endTime()))));
        }
        if (j.state() == JobState.TIMEOUT && types.contains(MailType.TIME_LIMIT)) {
            out.add(notice(j, "Reached time limit" + time("Run", j.startTime(), j.endTime())));
        }
        if (!j.state().isTerminal()) {
            return;
        }
        if (whole) {
            endOfArrayRecord(j, types, out, summarised);
            return;
        }
        String kind = endKind(j.state(), types);
        if (kind != null && (j.array() == null || j.arrayTaskId() != null)) {
            out.add(notice(j, kind + time("Run", j.startTime(), j.endTime()) + ", " + j.state() + ", ExitCode "
                    + exit(j)));
        }
    }

    /**
     * Once the array has no record left, mails its summary: the worst end among its ended records and the range of
     * their exit codes, "Mixed" when some exited 0 and some did not (Slurm's _set_job_term_info). Read from the store,
     * which holds the records that ended under the heads before this one; the ending record counts even where the
     * store does not answer (no database).
     */
    private void endOfArrayRecord(JobRecord j, Set<MailType> types, List<Notice> out, Set<Long> summarised) {
        long arrayId = j.arrayJobId();
        if (arrays.unfinished(arrayId) || !summarised.add(arrayId)) {
            return;
        }
        begunArrays.remove(arrayId);
        Map<JobState, JobHistory.ExitRange> ends = new EnumMap<>(JobState.class);
        ends.putAll(arrays.ended(arrayId));
        int exit = exit(j);
        ends.merge(j.state(), new JobHistory.ExitRange(exit, exit), (a, b) -> new JobHistory.ExitRange(
                Math.min(a.lowest(), b.lowest()), Math.max(a.highest(), b.highest())));
        JobState worst = JobState.COMPLETED;
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (Map.Entry<JobState, JobHistory.ExitRange> e : ends.entrySet()) {
            if (WORST_FIRST.indexOf(e.getKey()) < WORST_FIRST.indexOf(worst)) {
                worst = e.getKey();
            }
            min = Math.min(min, e.getValue().lowest());
            max = Math.max(max, e.getValue().highest());
        }
        String kind = endKind(worst, types);
        if (kind != null) {
            String state = min == 0 && max > 0 ? "Mixed" : worst.name();
            out.add(summary(j, kind + ", " + state + ", ExitCode [" + min + "-" + max + "]"));
        }
    }

    /**
     * Slurm's choice at a job's end: COMPLETED and CANCELLED are END's, every other end FAIL's, or END's when FAIL
     * was not asked for. Null when neither was.
     */
    private static String endKind(JobState state, Set<MailType> types) {
        boolean failed = state != JobState.COMPLETED && state != JobState.CANCELLED;
        if (failed && types.contains(MailType.FAIL)) {
            return "Failed";
        }
        return types.contains(MailType.END) ? "Ended" : null;
    }

    /**
     * The TIME_LIMIT_50, _80 and _90 mails due now for the running jobs, as Slurm's job_time_limit mails them: each
     * share of a job once, at the first pass that sees it passed and not yet marked, whenever it passed (while no
     * head ran too), every share passed at once in its order, 90 % first, with the marks that changed, to be stored
     * before the mails go. A share mailed in an attempt is not mailed again after a requeue: Slurm clears its bit in
     * the job's mail_type, and no requeue sets it again. The shares follow the limit the job has now (an update moves
     * those not yet mailed) and leave out the time it spent suspended. Forgets the jobs no longer unfinished.
     */
    public TimeLimitMail forTime(Collection<JobRecord> active, LongPredicate unfinished, Instant now) {
        List<Notice> out = new ArrayList<>();
        List<SharesMailed> marks = new ArrayList<>();
        for (JobRecord j : active) {
            Long limit = j.spec().timeLimitSeconds();
            if (j.spec().mailType() == null || limit == null || j.startTime() == null
                    || j.state() != JobState.RUNNING) {
                continue; // Suspended time does not count towards the limit, nor its shares: none is due.
            }
            Instant from = j.limitStart(now);
            Set<MailType> types = MailType.of(j.spec().mailType());
            // An earlier attempt's shares hold for this one, as db's store copies them into the row of the next
            // attempt it starts, but MAILED_BEFORE_MARKS, which speaks of the time of the attempt it marks.
            SharesMailed known = sharesMailed.get(j.id());
            int stored = known == null ? 0
                    : known.attempt() == j.attempt() ? known.shares() : known.shares() & ~MAILED_BEFORE_MARKS;
            boolean mailedBeforeMarks = (stored & MAILED_BEFORE_MARKS) != 0;
            int mailed = stored & ~MAILED_BEFORE_MARKS;
            for (Share share : THRESHOLDS) {
                Instant at = from.plusMillis(limit * 10 * share.percent());
                if (!types.contains(share.type()) || now.isBefore(at) || (mailed & share.bit()) != 0) {
                    continue;
                }
                mailed |= share.bit();
                if (!mailedBeforeMarks || !at.isBefore(since)) {
                    out.add(notice(j, "Reached " + share.percent() + "% of time limit" + time("Run", from, now)));
                }
            }
            SharesMailed mark = new SharesMailed(j.id(), j.attempt(), mailed);
            if (mailed != stored || known != null && known.attempt() != j.attempt()) {
                sharesMailed.put(j.id(), mark);
            }
            if (mailed != stored) {
                marks.add(mark);
            }
        }
        sharesMailed.keySet().removeIf(id -> !unfinished.test(id));
        return new TimeLimitMail(out, marks);
    }

    private static Notice notice(JobRecord j, String event) {
        String head = j.arrayTaskId() != null
                ? "Slurm Array Task Job_id=" + j.arrayJobId() + "_" + j.arrayTaskId() + " (" + j.id() + ")"
                : "Slurm Job_id=" + j.id();
        return new Notice(j.id(), recipient(j), head + " Name=" + j.name() + " " + event);
    }

    private static Notice summary(JobRecord j, String event) {
        return new Notice(j.arrayJobId(), recipient(j), "Slurm Array Summary Job_id=" + j.arrayJobId() + "_* ("
                + j.arrayJobId() + ") Name=" + j.name() + " " + event);
    }

    private static String recipient(JobRecord j) {
        return j.spec().mailUser() != null ? j.spec().mailUser() : j.user();
    }

    private static int exit(JobRecord j) {
        return j.exitCode() == null ? 0 : j.exitCode();
    }

    /** ", Queued time 00:00:01": nothing when either end is unknown. */
    private static String time(String what, Instant from, Instant to) {
        return from == null || to == null ? "" : ", " + what + " time " + duration(Duration.between(from, to));
    }

    /** Slurm's secs2time_str: HH:MM:SS, with D- in front past a day. */
    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s < 0) {
            return "INVALID";
        }
        String hms = String.format("%02d:%02d:%02d", s / 3600 % 24, s / 60 % 60, s % 60);
        return s >= 86_400 ? s / 86_400 + "-" + hms : hms;
    }
}
