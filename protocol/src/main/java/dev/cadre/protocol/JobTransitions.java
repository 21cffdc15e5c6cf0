package dev.cadre.protocol;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one transition table for job states. Every state change anywhere in Cadre is checked
 * against it, and replaying a job's event rows through it must reproduce the stored state.
 */
public final class JobTransitions {
    private static final Map<JobState, Set<JobState>> ALLOWED = new EnumMap<>(JobState.class);

    static {
        // A requeued job whose lost attempt turns out to have ended on its own before the job started again ends
        // as that attempt did: COMPLETED, FAILED, or a limit its node enforced (TIMEOUT, OUT_OF_MEMORY).
        // DEADLINE: a pending job that can no longer end by its --deadline; only a pending job ends so.
        allow(JobState.PENDING, JobState.RUNNING, JobState.CANCELLED, JobState.FAILED, JobState.COMPLETED,
                JobState.TIMEOUT, JobState.OUT_OF_MEMORY, JobState.DEADLINE);
        // COMPLETING: a kill was ordered (cancel, time limit) and the node has not yet confirmed it.
        // OUT_OF_MEMORY: the node killed it on its own over its memory request, so it can follow either.
        allow(JobState.RUNNING, JobState.COMPLETING, JobState.COMPLETED, JobState.FAILED,
                JobState.CANCELLED, JobState.TIMEOUT, JobState.NODE_FAIL, JobState.REQUEUED, JobState.OUT_OF_MEMORY,
                JobState.SUSPENDED);
        // SUSPENDED: back to RUNNING when resumed; COMPLETING when a kill is ordered (scancel, requeue), which its
        // nodes carry out with SIGCONT after the kill signal; NODE_FAIL or REQUEUED when a node of it is lost. Its
        // processes may still end on their own (killed from outside, or a race with the suspend): COMPLETED, FAILED,
        // OUT_OF_MEMORY, and TIMEOUT only where its node's limit fired as the suspend came: the head never decides a
        // suspended job's TIMEOUT, as its limit does not count suspended time.
        allow(JobState.SUSPENDED, JobState.RUNNING, JobState.COMPLETING, JobState.CANCELLED, JobState.NODE_FAIL,
                JobState.REQUEUED, JobState.COMPLETED, JobState.FAILED, JobState.OUT_OF_MEMORY, JobState.TIMEOUT);
        allow(JobState.COMPLETING, JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED,
                JobState.TIMEOUT, JobState.NODE_FAIL, JobState.REQUEUED, JobState.OUT_OF_MEMORY);
        allow(JobState.REQUEUED, JobState.PENDING, JobState.CANCELLED);
        allow(JobState.COMPLETED);
        allow(JobState.FAILED);
        allow(JobState.CANCELLED);
        allow(JobState.TIMEOUT);
        allow(JobState.NODE_FAIL);
        allow(JobState.OUT_OF_MEMORY);
        allow(JobState.DEADLINE);
    }

    private JobTransitions() {
    }

    private static void allow(JobState from, JobState... to) {
        ALLOWED.put(from, to.length == 0 ? EnumSet.noneOf(JobState.class) : EnumSet.of(to[0], to));
    }

    public static boolean isAllowed(JobState from, JobState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** The state a new job starts in. */
    public static JobState initial() {
        return JobState.PENDING;
    }

    public static Set<JobState> next(JobState from) {
        return Set.copyOf(ALLOWED.get(from));
    }

    /** @throws IllegalTransitionException when the table forbids the change */
    public static void check(long jobId, JobState from, JobState to) {
        if (!isAllowed(from, to)) {
            throw new IllegalTransitionException(jobId, from, to);
        }
    }

    /** Replays a job's recorded states (oldest first) and returns where they lead. */
    public static JobState replay(long jobId, List<JobState> states) {
        if (states.isEmpty() || states.get(0) != initial()) {
            throw new IllegalArgumentException("job " + jobId + ": history must start with " + initial());
        }
        JobState current = states.get(0);
        for (JobState next : states.subList(1, states.size())) {
            check(jobId, current, next);
            current = next;
        }
        return current;
    }

    public static final class IllegalTransitionException extends IllegalStateException {
        public IllegalTransitionException(long jobId, JobState from, JobState to) {
            super("job " + jobId + ": illegal state change " + from + " -> " + to);
        }
    }
}
