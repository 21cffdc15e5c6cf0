package dev.cadre.protocol;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;

/**
 * How far a pending job's --dependency has come, term by term, with the one rule that judges a term: the scheduler
 * judges its jobs by it from memory and its history, the REST API shows them by it from SQLite, so what squeue and
 * scontrol print is what the scheduler decides. Pure.
 *
 * @param text Slurm's form, as {@code scontrol show job}'s Dependency= and squeue's %E print it: the terms not yet
 *        fulfilled, each followed by {@code (unfulfilled)} or {@code (failed)}, joined as the dependency joins them;
 *        {@code (null)} when none remains, or when one term of a '?' list is fulfilled (Slurm then drops them all)
 * @param terms every term in the dependency's order, fulfilled ones included
 */
public record DependencyStatus(String text, List<Term> terms) {
    /** What no dependency, or none left, reads as. */
    public static final String NONE = "(null)";

    /** A term's state, in Slurm's words (its depend_state): FAILED can never be fulfilled. */
    public enum State { FULFILLED, UNFULFILLED, FAILED }

    /** @param term one condition as Slurm writes it: afterok:5, afterok:5_3, afterok:5_* (every task), singleton */
    public record Term(String term, State state) {
    }

    public DependencyStatus {
        terms = List.copyOf(terms);
    }

    /** The terms, rendered as Slurm renders what is left of a dependency. */
    public static DependencyStatus of(List<Term> terms, boolean anyOne) {
        if (anyOne && terms.stream().anyMatch(t -> t.state() == State.FULFILLED)) {
            return new DependencyStatus(NONE, terms);
        }
        StringBuilder b = new StringBuilder();
        for (Term t : terms) {
            if (t.state() != State.FULFILLED) {
                b.append(b.length() == 0 ? "" : anyOne ? "?" : ",").append(t.term()).append('(')
                        .append(t.state().name().toLowerCase(Locale.ROOT)).append(')');
            }
        }
        return new DependencyStatus(b.length() == 0 ? NONE : b.toString(), terms);
    }

    /** The condition as Slurm writes it; a whole array is {@code N_*}. */
    public static String term(Dependencies.Condition c, boolean namesArray) {
        if (c.type() == Dependencies.Type.SINGLETON) {
            return "singleton";
        }
        return c.type().name().toLowerCase(Locale.ROOT) + ":" + c.jobId()
                + (c.taskId() != null ? "_" + c.taskId() : namesArray ? "_*" : "")
                + (c.delayMinutes() == 0 ? "" : "+" + c.delayMinutes());
    }

    /**
     * What a condition's job has come to: a job, one array task, or every task of an array.
     *
     * @param array it stands for every task of an array
     * @param unfinished its records that have not ended: the job's, the task's or the record holding it unstarted,
     *        or the array's unfinished records (its own, its parts, its tasks split off)
     * @param endedNotOk some of it ended otherwise than COMPLETED
     * @param endedStart for a job or task that ended, when it started (when it ended, if it never started); null
     *        otherwise: an array's ended tasks do not hold back {@code after}
     */
    public record Named(boolean array, Collection<JobRecord> unfinished, boolean endedNotOk, Instant endedStart) {
        public static Named unfinished(JobRecord j) {
            return new Named(false, List.of(j), false, null);
        }

        public static Named ended(JobState state, Instant startTime, Instant endTime) {
            return new Named(false, List.of(), state != JobState.COMPLETED, startTime != null ? startTime : endTime);
        }

        /** @param endedStates the states its ended tasks (and unstarted tasks ended with a record) ended in */
        public static Named array(Collection<JobRecord> unfinished, Collection<JobState> endedStates) {
            return new Named(true, unfinished, endedStates.stream().anyMatch(s -> s.isTerminal()
                    && s != JobState.COMPLETED), null);
        }
    }

    /**
     * Whether the condition holds of what its job has come to (null: no such job, so it never can). Singleton is
     * judged by {@link #singletonWaitsOn} instead.
     */
    public static State judge(Dependencies.Condition c, Named named, Instant now) {
        if (named == null) {
            return State.FAILED;
        }
        boolean unfinished = !named.unfinished().isEmpty();
        return switch (c.type()) {
            case AFTER -> startedLongEnough(named, c.delayMinutes(), now) ? State.FULFILLED : State.UNFULFILLED;
            case AFTERANY -> unfinished ? State.UNFULFILLED : State.FULFILLED;
            case AFTEROK, AFTERCORR -> named.endedNotOk() ? State.FAILED
                    : unfinished ? State.UNFULFILLED : State.FULFILLED;
            case AFTERNOTOK -> unfinished ? State.UNFULFILLED : named.endedNotOk() ? State.FULFILLED : State.FAILED;
            case SINGLETON -> State.FULFILLED;
        };
    }

    /** after: every unfinished record of it started, and it started (or ended) the delay ago or earlier. */
    private static boolean startedLongEnough(Named named, int delayMinutes, Instant now) {
        long delay = 60L * delayMinutes;
        for (JobRecord p : named.unfinished()) {
            if (!started(p) || p.startTime().plusSeconds(delay).isAfter(now)) {
                return false;
            }
        }
        return named.endedStart() == null || !named.endedStart().plusSeconds(delay).isAfter(now);
    }

    /** A record runs (or ran) an attempt; one that holds unstarted tasks has not started, whatever it ran before. */
    private static boolean started(JobRecord j) {
        return j.attempt() > 0 && j.startTime() != null && (j.array() == null || j.array().pending() == null);
    }

    /** Slurm's singleton: the job waits while another unfinished job of its user and name is older or running. */
    public static boolean singletonWaitsOn(long jobId, long otherId, JobState otherState) {
        return otherId != jobId && (otherId < jobId || otherState.isActive());
    }

    /**
     * aftercorr for one task of the dependent array: afterok on the named array's task of the same id, or on the
     * whole named job when it has no such task (or the dependent is no array's task).
     *
     * @param task the dependent's task, or null
     * @param pairs whether job (first) is an array with task (second)
     */
    public static Dependencies.Condition partner(Dependencies.Condition c, Integer task,
            BiPredicate<Long, Integer> pairs) {
        boolean paired = task != null && pairs.test(c.jobId(), task);
        return new Dependencies.Condition(Dependencies.Type.AFTEROK, c.jobId(), paired ? task : null, 0);
    }

    /**
     * aftercorr for a record holding many unstarted tasks, judged as afterok on the whole named array: failed there
     * means only that some task's partner failed, and the others may still start (the scheduler splits the ones that
     * never can off), so it reads as unfulfilled, as Slurm shows an array's pending tasks.
     */
    public static State forUnstartedTasks(State wholeArray) {
        return wholeArray == State.FAILED ? State.UNFULFILLED : wholeArray;
    }
}
