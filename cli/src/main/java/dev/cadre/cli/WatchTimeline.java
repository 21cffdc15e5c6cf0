package dev.cadre.cli;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What 'cadre watch' prints, one line per state change. Events that arrive before the job's current state has
 * been read are held back, and those already reflected in that state are dropped, so that subscribing first and
 * reading second loses nothing and prints nothing twice. Pure: lines go to the given consumer.
 */
final class WatchTimeline {
    /**
     * A job's state as read at one moment (from the REST API).
     *
     * @param arrayJobId the array of a record that runs one of its tasks, else null
     * @param arrayTaskId that task, else null
     */
    record Snapshot(long jobId, String name, JobState state, String reason, int attempt, Instant time,
            Integer exitCode, Integer signal, Long arrayJobId, Integer arrayTaskId) {
        Snapshot(long jobId, String name, JobState state, String reason, int attempt, Instant time,
                Integer exitCode, Integer signal) {
            this(jobId, name, state, reason, attempt, time, exitCode, signal, null, null);
        }
    }

    private final Long jobId;
    private final Consumer<String> out;
    private final CompletableFuture<JobState> ended = new CompletableFuture<>();
    private List<JobEvent.JobStateChanged> held = new ArrayList<>();
    private JobState current;

    /** @param jobId the one job followed (it ends the timeline when it ends), or null for any job */
    WatchTimeline(Long jobId, Consumer<String> out) {
        this.jobId = jobId;
        this.out = out;
    }

    /** Completes with the followed job's final state. */
    CompletableFuture<JobState> ended() {
        return ended;
    }

    synchronized void event(JobEvent.JobStateChanged e) {
        if (held != null) {
            held.add(e);
        } else {
            print(e);
        }
    }

    /** Prints the job's state as first read, then the held events that came after it. */
    synchronized void start(Snapshot s) {
        List<JobEvent.JobStateChanged> after = held;
        held = null;
        if (s != null) {
            // The last held event that led to the read state is where the snapshot stands; earlier ones are old.
            int at = -1;
            for (int i = 0; i < after.size(); i++) {
                JobEvent.JobStateChanged e = after.get(i);
                if (e.jobId() == s.jobId() && e.state() == s.state() && e.attempt() == s.attempt()) {
                    at = i;
                }
            }
            after = after.subList(at + 1, after.size());
            show(s);
        }
        after.forEach(this::print);
    }

    /** After a reconnect events may have been lost: a state read again is shown if it differs from the last. */
    synchronized void reread(Snapshot s) {
        if (held == null && s.state() != current) {
            show(s);
        }
    }

    /**
     * The followed job, a part of an array's pending tasks, is gone: its tasks joined another record of the array.
     * Nothing it held ended, so the watch ends without a state of its own.
     */
    synchronized void joined(Instant when) {
        if (jobId == null || ended.isDone()) {
            return;
        }
        out.accept(when.truncatedTo(ChronoUnit.SECONDS) + " job " + jobId + " is gone: its pending tasks joined"
                + " another record of its array (squeue -r shows them)");
        ended.complete(JobState.PENDING);
    }

    private void show(Snapshot s) {
        out.accept(line(s.time(), label(s.jobId(), s.arrayJobId(), s.arrayTaskId()), s.name(), null, s.state(),
                s.attempt(), s.reason(), s.exitCode(), s.signal()));
        reached(s.jobId(), s.state());
    }

    private void print(JobEvent.JobStateChanged e) {
        if (ended.isDone()) {
            return;
        }
        out.accept(line(e.time(), label(e.jobId(), e.arrayJobId(), e.arrayTaskId()), e.name(), e.previous(),
                e.state(), e.attempt(), e.reason(), e.exitCode(), e.signal()));
        reached(e.jobId(), e.state());
    }

    private void reached(long id, JobState state) {
        if (jobId != null && id == jobId) {
            current = state;
            if (state.isTerminal()) {
                ended.complete(state);
            }
        }
    }

    /** Slurm's id of a record: 12_3 for one that runs task 3 of array 12, else its own id. */
    static String label(long jobId, Long arrayJobId, Integer arrayTaskId) {
        return arrayJobId != null && arrayTaskId != null ? arrayJobId + "_" + arrayTaskId : String.valueOf(jobId);
    }

    /** "2026-11-21T10:00:00Z job 5 (name) PENDING -> RUNNING attempt 1 reason X exit 0". */
    static String line(Instant time, String job, String name, JobState previous, JobState state, int attempt,
            String reason, Integer exitCode, Integer signal) {
        StringBuilder b = new StringBuilder(time == null ? "-" : time.truncatedTo(ChronoUnit.SECONDS).toString());
        b.append(" job ").append(job);
        if (name != null && !name.isEmpty()) {
            b.append(" (").append(name).append(')');
        }
        b.append(' ');
        if (previous != null) {
            b.append(previous).append(" -> ");
        }
        b.append(state).append(" attempt ").append(attempt);
        if (reason != null && !reason.isEmpty() && !reason.equals("None")) {
            b.append(" reason ").append(reason);
        }
        if (state.isTerminal() && exitCode != null) {
            b.append(" exit ").append(exitCode);
        }
        if (state.isTerminal() && signal != null && signal != 0) {
            b.append(" signal ").append(signal);
        }
        return b.toString();
    }
}
