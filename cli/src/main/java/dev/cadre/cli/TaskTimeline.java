package dev.cadre.cli;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What 'cadre watch 12_3' prints: the changes of one array task, by Slurm's name, whichever record holds it. A
 * pending task is inside its array's record or a part of it (docs/protocol.md 5.5), whose events do not say which
 * tasks they hold; so those events only ask for the task to be read again, and the task is shown as read. Once the
 * task runs it has a record of its own (or the array's, as its last task), whose events name it and are shown as
 * they come. Pure: lines go to the given consumer.
 */
final class TaskTimeline {
    private final long arrayJobId;
    private final int taskId;
    private final String label;
    private final Consumer<String> out;
    private final CompletableFuture<JobState> ended = new CompletableFuture<>();
    private List<JobEvent.JobStateChanged> held = new ArrayList<>();
    private WatchTimeline.Known known;

    TaskTimeline(long arrayJobId, int taskId, Consumer<String> out) {
        this.arrayJobId = arrayJobId;
        this.taskId = taskId;
        this.label = arrayJobId + "_" + taskId;
        this.out = out;
    }

    /** Completes with the task's final state. */
    CompletableFuture<JobState> ended() {
        return ended;
    }

    /**
     * Shows the change of the record that runs the task; for any other event of the array's records that hold
     * pending tasks (a part made, joined, cancelled; the array's record held or cancelled) it answers true: the
     * task may have moved or changed with it, unheard, and is to be read again.
     */
    synchronized boolean event(JobEvent e) {
        if (e instanceof JobEvent.JobStateChanged c && ours(c.arrayJobId(), c.arrayTaskId())) {
            if (held != null) {
                held.add(c);
            } else {
                print(c);
            }
            return false;
        }
        if (e instanceof JobEvent.JobStateChanged c) {
            return holdsPending(c.arrayJobId(), c.arrayTaskId());
        }
        if (e instanceof JobEvent.JobUpdated u) {
            return holdsPending(u.arrayJobId(), u.arrayTaskId());
        }
        return e instanceof JobEvent.ArrayPartJoined j && j.arrayJobId() == arrayJobId;
    }

    /**
     * Prints the task as first read, then the held changes of its record that came after: the last held change
     * that led to the read state is where the read stands, and those before it are old.
     */
    synchronized void start(WatchTimeline.Snapshot s) {
        List<JobEvent.JobStateChanged> after = held;
        held = null;
        int at = -1;
        for (int i = 0; i < after.size(); i++) {
            if (after.get(i).state() == s.state() && after.get(i).attempt() == s.attempt()) {
                at = i;
            }
        }
        show(s);
        after.subList(at + 1, after.size()).forEach(this::print);
    }

    /**
     * The task read again (asked for by {@link #event}, periodically, or after a reconnect) is shown when it is
     * news: not when what was shown already is as new or newer, as a read may be older than a change just shown.
     */
    synchronized void reread(WatchTimeline.Snapshot s) {
        if (held == null && !ended.isDone() && (known == null || !known.ahead(s.state(), s.attempt()))) {
            show(s);
        }
    }

    /** The task can no longer be found (its records were removed): nothing more will be heard of it. */
    synchronized void lost() {
        if (held == null && !ended.isDone()) {
            ended.complete(null);
        }
    }

    private boolean ours(Long array, Integer task) {
        return array != null && array == arrayJobId && task != null && task == taskId;
    }

    private boolean holdsPending(Long array, Integer task) {
        return array != null && array == arrayJobId && task == null;
    }

    private void show(WatchTimeline.Snapshot s) {
        out.accept(WatchLine.line(s.time(), label, s.name(), null, s.state(), s.attempt(), s.reason(),
                s.exitCode(), s.signal(), s.cancelledBy()));
        reached(s.state(), s.attempt());
    }

    private void print(JobEvent.JobStateChanged e) {
        if (ended.isDone() || known != null && known.ahead(e.state(), e.attempt())) {
            return; // shown already, or passed: by a read that came before the event
        }
        out.accept(WatchLine.line(e.time(), label, e.name(), e.previous(), e.state(), e.attempt(), e.reason(),
                e.exitCode(), e.signal(), e.cancelledBy()));
        reached(e.state(), e.attempt());
    }

    private void reached(JobState state, int attempt) {
        known = new WatchTimeline.Known(state, attempt);
        if (state.isTerminal()) {
            ended.complete(state);
        }
    }
}
