package dev.cadre.cli;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What 'cadre watch' prints, one line per state change. Events that arrive before the job's current state has
 * been read are held back, and those already reflected in that state are dropped, so that subscribing first and
 * reading second loses nothing and prints nothing twice. It follows one job, every record of one array, or every
 * job. Pure: lines go to the given consumer.
 */
final class WatchTimeline {
    /**
     * A job's state as read at one moment (from the REST API).
     *
     * @param arrayJobId the array of a record that runs one of its tasks, else null
     * @param arrayTaskId that task, else null
     * @param cancelledBy who the cancel that ended it named (the REST API's cancelledBy), else null
     */
    record Snapshot(long jobId, String name, JobState state, String reason, int attempt, Instant time,
            Integer exitCode, Integer signal, Long arrayJobId, Integer arrayTaskId, String cancelledBy) {
        /** A job no named cancel ended. */
        Snapshot(long jobId, String name, JobState state, String reason, int attempt, Instant time, Integer exitCode,
                Integer signal, Long arrayJobId, Integer arrayTaskId) {
            this(jobId, name, state, reason, attempt, time, exitCode, signal, arrayJobId, arrayTaskId, null);
        }
    }

    private final Long jobId;
    private final Long arrayJobId;
    private final Consumer<String> out;
    private final CompletableFuture<JobState> ended = new CompletableFuture<>();
    private List<JobEvent> held = new ArrayList<>();
    /** What was last shown of each record followed: the job, or every record of the array seen so far. */
    private final Map<Long, Known> followed = new HashMap<>();
    /** How many of them have not ended: counted, as an array's watch asks after every event. */
    private int unfinishedCount;
    /** Parts whose tasks joined another record: a read begun before they went must not bring them back. */
    private final Set<Long> joinedParts = new HashSet<>();

    /** What was last shown of a record (or of one array task, {@link TaskTimeline}). */
    record Known(JobState state, int attempt) {
        /**
         * This is as new as the other state, or newer: a read or an event that brings the other must not be shown
         * (a read may be older than an event just shown, and an event older than a read: the head commits before it
         * publishes, and republishes after a restart).
         */
        boolean ahead(JobState other, int otherAttempt) {
            return rank(state, attempt) >= rank(other, otherAttempt);
        }

        /**
         * A record's states come in one order: PENDING at attempt 0, then for each attempt n RUNNING, COMPLETING,
         * REQUEUED and PENDING again, as the attempt goes up only at the next start; a terminal state is final.
         */
        private static long rank(JobState state, int attempt) {
            if (state.isTerminal()) {
                return Long.MAX_VALUE;
            }
            int phase = state == JobState.RUNNING ? 0 : state == JobState.COMPLETING ? 1
                    : state == JobState.REQUEUED ? 2 : 3;
            return attempt * 4L + phase;
        }
    }

    /** @param jobId the one job followed (it ends the timeline when it ends), or null for any job */
    WatchTimeline(Long jobId, Consumer<String> out) {
        this(jobId, null, out);
    }

    private WatchTimeline(Long jobId, Long arrayJobId, Consumer<String> out) {
        this.jobId = jobId;
        this.arrayJobId = arrayJobId;
        this.out = out;
    }

    /**
     * Follows every record of an array (its own, the tasks split off it, the parts of its pending tasks), fed the
     * array's events: it ends once every record it knows has ended. Pending tasks are always in the array's record
     * or in a part until the last starts, so no task is left when they all have.
     */
    static WatchTimeline ofArray(long arrayJobId, Consumer<String> out) {
        return new WatchTimeline(null, arrayJobId, out);
    }

    /**
     * Completes with the followed job's final state (for an array, that of its own record), or null when the array
     * was lost ({@link #lost}).
     */
    CompletableFuture<JobState> ended() {
        return ended;
    }

    /** State changes and parts joining are shown; other events (updates, nodes) are not state changes. */
    synchronized void event(JobEvent e) {
        if (!(e instanceof JobEvent.JobStateChanged) && !(e instanceof JobEvent.ArrayPartJoined)) {
            return;
        }
        if (held != null) {
            held.add(e);
        } else {
            print(e);
        }
    }

    /** As {@link #start(List)}, for one job, or none (null) when following every job. */
    synchronized void start(Snapshot s) {
        start(s == null ? List.of() : List.of(s));
    }

    /**
     * Prints the records' states as first read, then the held events that came after them: for each record, the
     * last held event that led to the read state is where the snapshot stands, and its earlier ones are old.
     */
    synchronized void start(List<Snapshot> snapshots) {
        List<JobEvent> after = held;
        held = null;
        Set<Integer> old = new HashSet<>();
        for (Snapshot s : snapshots) {
            int at = -1;
            for (int i = 0; i < after.size(); i++) {
                if (after.get(i) instanceof JobEvent.JobStateChanged e && e.jobId() == s.jobId()
                        && e.state() == s.state() && e.attempt() == s.attempt()) {
                    at = i;
                }
            }
            for (int i = 0; i <= at; i++) {
                if (after.get(i) instanceof JobEvent.JobStateChanged e && e.jobId() == s.jobId()) {
                    old.add(i);
                }
            }
        }
        snapshots.forEach(this::show);
        for (int i = 0; i < after.size(); i++) {
            if (!old.contains(i)) {
                print(after.get(i));
            }
        }
        checkArrayEnded(snapshots.isEmpty() ? null : snapshots.get(0).time());
    }

    /**
     * A state read again (after a reconnect, when events may have been lost, or an array's periodic read) is shown
     * when it is news: not when what was shown already is as new or newer.
     */
    synchronized void reread(Snapshot s) {
        Known known = followed.get(s.jobId());
        if (held == null && !ended.isDone() && !joinedParts.contains(s.jobId())
                && (known == null || !known.ahead(s.state(), s.attempt()))) {
            show(s);
            checkArrayEnded(s.time());
        }
    }

    /** The records followed that have not ended, as far as this timeline knows. */
    synchronized Set<Long> unfinished() {
        return followedWhere(known -> !known.state().isTerminal());
    }

    /** The records followed that were last seen PENDING: those that may hold an array's pending tasks. */
    synchronized Set<Long> waiting() {
        return followedWhere(known -> known.state() == JobState.PENDING);
    }

    private Set<Long> followedWhere(Predicate<Known> which) {
        Set<Long> ids = new HashSet<>();
        followed.forEach((id, known) -> {
            if (which.test(known)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The array watched can no longer be found (its records were deleted): nothing more will be heard of it. */
    synchronized void lost() {
        if (held == null) {
            ended.complete(null);
        }
    }

    /**
     * A part of an array's pending tasks read again was not found: its tasks joined another record of the array,
     * unheard (that event is kept in no outbox). Nothing it held ended: a watch of the part alone ends without a
     * state of its own.
     */
    synchronized void gone(long id, Instant when) {
        gone(id, null, when);
    }

    private void gone(long id, Long into, Instant when) {
        if (ended.isDone() || (jobId != null || arrayJobId != null) && !followed.containsKey(id)) {
            return;
        }
        joinedParts.add(id);
        String where = into == null ? "another record of its array (squeue -r shows them)" : "job " + into;
        out.accept(WatchLine.time(when) + " job " + id + (jobId != null
                ? " is gone: its pending tasks joined " + where
                : " joined " + where + ": its pending tasks are there now"));
        follow(id, null);
        if (jobId != null) {
            ended.complete(JobState.PENDING);
        }
        checkArrayEnded(when);
    }

    private void show(Snapshot s) {
        out.accept(WatchLine.line(s.time(), label(s.jobId(), s.arrayJobId(), s.arrayTaskId()), s.name(), null,
                s.state(), s.attempt(), s.reason(), s.exitCode(), s.signal(), s.cancelledBy()));
        reached(s.jobId(), s.state(), s.attempt());
    }

    private void print(JobEvent event) {
        if (ended.isDone()) {
            return;
        }
        if (event instanceof JobEvent.ArrayPartJoined j) {
            // A part an array's watch never saw (created and joined before it read the array) is news too.
            if (!followed.containsKey(j.jobId())) {
                follow(j.jobId(), new Known(JobState.PENDING, 0));
            }
            gone(j.jobId(), j.into(), j.time());
            return;
        }
        JobEvent.JobStateChanged e = (JobEvent.JobStateChanged) event;
        Known known = followed.get(e.jobId());
        if (known != null && known.ahead(e.state(), e.attempt())) {
            return; // shown already, or passed: by a state read again before the event came
        }
        out.accept(WatchLine.line(e.time(), label(e.jobId(), e.arrayJobId(), e.arrayTaskId()), e.name(),
                e.previous(), e.state(), e.attempt(), e.reason(), e.exitCode(), e.signal(), e.cancelledBy()));
        reached(e.jobId(), e.state(), e.attempt());
        checkArrayEnded(e.time());
    }

    private void reached(long id, JobState state, int attempt) {
        if (arrayJobId != null || jobId != null && id == jobId) {
            follow(id, new Known(state, attempt));
        }
        if (jobId != null && id == jobId && state.isTerminal()) {
            ended.complete(state);
        }
    }

    /** @param now what the record is now, or null when it is gone */
    private void follow(long id, Known now) {
        Known before = now == null ? followed.remove(id) : followed.put(id, now);
        unfinishedCount += (now != null && !now.state().isTerminal() ? 1 : 0)
                - (before != null && !before.state().isTerminal() ? 1 : 0);
    }

    private void checkArrayEnded(Instant when) {
        if (arrayJobId == null || held != null || ended.isDone() || followed.isEmpty() || unfinishedCount > 0) {
            return;
        }
        out.accept(WatchLine.time(when) + " array " + arrayJobId + ": every task has ended");
        Known own = followed.get(arrayJobId);
        ended.complete(own == null ? JobState.COMPLETED : own.state());
    }

    /** Slurm's id of a record: 12_3 for one that runs task 3 of array 12, else its own id. */
    static String label(long jobId, Long arrayJobId, Integer arrayTaskId) {
        return arrayJobId != null && arrayTaskId != null ? arrayJobId + "_" + arrayTaskId : String.valueOf(jobId);
    }
}
