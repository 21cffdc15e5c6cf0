package dev.cadre.node;

import dev.cadre.node.core.ExecRunRecord;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of the remote commands run on this node, each recorded on disk ({@link ExecRecords}) until nothing
 * of it runs: the commands running, by request id, and, by attempt, the sessions left behind by commands that ended
 * (a daemon started without the command's pipes) or by an earlier runner killed with SIGKILL. All of an attempt's
 * are killed when it ends or is killed; an earlier runner's are killed at start unless their attempt is held.
 */
final class ExecSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSessions.class);

    private record Listed(ExecRun run, ExecRunRecord record) {
    }

    private final ExecRecords records;
    private final HeldAttempts held;
    private final Duration grace;
    private final Map<String, Listed> running = new ConcurrentHashMap<>();
    /** Sessions no run of this runner reads, by attempt key; guarded by itself. */
    private final Map<String, List<ExecRunRecord>> leftovers = new HashMap<>();
    /** How many kills of each attempt's sessions are under way. */
    private final Map<RunnerEvent.RunningAttempt, Integer> stopping = new ConcurrentHashMap<>();
    private final ExecutorService killers = Executors.newCachedThreadPool(r -> daemon(r, "cadre-exec-kill"));
    /** Where runs report their exits: the common ForkJoin pool must not wait on the broker for them. */
    private final ExecutorService exits = Executors.newCachedThreadPool(r -> daemon(r, "cadre-exec-exit"));

    /** @param held what an attempt's sessions may outlive their run for; released, they are killed */
    ExecSessions(ExecRecords records, HeldAttempts held, Duration grace) {
        this.records = records;
        this.held = held;
        this.grace = grace;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    boolean running(String requestId) {
        return running.containsKey(requestId);
    }

    void heard(String requestId) {
        Listed l = running.get(requestId);
        if (l != null) {
            l.run().heard();
        }
    }

    /**
     * Starts the command, records it, and only then reports it.
     *
     * @throws IOException when bash cannot start, or the run cannot be recorded (it is then killed unreported)
     */
    ExecRun start(ExecMessage.ExecRequest request, Path workDir, Map<String, String> environment,
            ExecRun.Replies replies) throws IOException {
        ExecRun run = ExecRun.start(request, workDir, environment, reply -> {
            replies.send(reply);
            if (reply instanceof ExecMessage.ExecExit) {
                ended(request.requestId());
            }
        });
        ExecRunRecord record;
        try {
            record = records.recordRun(request.jobId(), request.attempt(), run.pid());
        } catch (IOException | RuntimeException e) {
            killers.execute(() -> run.discard(grace));
            throw new IOException("cannot record the command in " + records.dir() + ": " + e.getMessage(), e);
        }
        // Listed before anything is reported, so that its exit always finds it.
        running.put(request.requestId(), new Listed(run, record));
        run.report(exits);
        return run;
    }

    private void ended(String requestId) {
        Listed l = running.remove(requestId);
        if (l == null) {
            return;
        }
        if (!ProcessGroups.alive(l.record().pid())) {
            records.forget(l.record());
            return;
        }
        // Bash ended, and something it started runs on without its pipes: it dies with its attempt.
        leave(List.of(l.record()));
        if (!held.holds(l.record().jobId(), l.record().attempt())) {
            killAttempt(l.record().jobId(), l.record().attempt()); // released meanwhile
        }
    }

    private void leave(List<ExecRunRecord> left) {
        synchronized (leftovers) {
            left.forEach(r -> leftovers.computeIfAbsent(HeldAttempts.key(r.jobId(), r.attempt()),
                    k -> new ArrayList<>()).add(r));
        }
    }

    /** Kills the sessions of the runs whose agents have been silent for longer than the limit. */
    void killSilent(Duration limit) {
        for (Listed l : running.values()) {
            ExecRun run = l.run();
            // Not bash alone: it may have ended and left a child holding the pipes, which keeps the run going.
            if (run.silentFor(limit)) {
                LOG.info("exec {} of job {}: its agent went silent; killing its session", run.requestId(),
                        run.jobId());
                run.heard();
                killers.execute(() -> run.kill(grace));
            }
        }
    }

    /**
     * The attempt was released: every session of it here is killed, in the background.
     *
     * @return done when those sessions are gone (at once when there were none)
     */
    CompletableFuture<Void> killAttempt(long jobId, int attempt) {
        RunnerEvent.RunningAttempt key = new RunnerEvent.RunningAttempt(jobId, attempt);
        List<Runnable> kills = new ArrayList<>();
        for (Listed l : running.values()) {
            if (l.run().jobId() == jobId && l.run().attempt() == attempt) {
                kills.add(() -> l.run().kill(grace));
            }
        }
        List<ExecRunRecord> left;
        synchronized (leftovers) {
            left = leftovers.remove(HeldAttempts.key(jobId, attempt));
        }
        if (left != null) {
            left.forEach(r -> kills.add(() -> killLeftover(r)));
        }
        if (kills.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        stopping.merge(key, kills.size(), Integer::sum);
        CompletableFuture<?>[] done = kills.stream().map(k -> CompletableFuture.runAsync(() -> {
            try {
                k.run();
            } finally {
                stopping.computeIfPresent(key, (a, n) -> n == 1 ? null : n - 1);
            }
        }, killers)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(done).handle((v, e) -> null);
    }

    /** Attempts whose sessions are being killed here: a heartbeat lists them until they are gone. */
    List<RunnerEvent.RunningAttempt> stopping() {
        return List.copyOf(stopping.keySet());
    }

    private void killLeftover(ExecRunRecord r) {
        if (r.mayStillRun(ProcessGroups.startTicks(r.pid()))) {
            LOG.info("job {} attempt {}: killing the session {} a remote command left", r.jobId(), r.attempt(),
                    r.pid());
            ProcessGroups.terminate(r.pid(), grace);
        }
        records.forget(r);
    }

    /** Lists the sessions an earlier runner recorded; before anything can release an attempt. */
    int adopt() throws IOException {
        List<ExecRunRecord> found = records.runs();
        leave(found);
        return found.size();
    }

    /** Kills the listed sessions whose attempts are not held here: the attempts ended while no runner ran. */
    void killUnheld() {
        List<ExecRunRecord> all;
        synchronized (leftovers) {
            all = leftovers.values().stream().flatMap(List::stream).toList();
        }
        Map<String, ExecRunRecord> unheld = new LinkedHashMap<>();
        for (ExecRunRecord r : all) {
            if (!held.holds(r.jobId(), r.attempt())) {
                unheld.putIfAbsent(HeldAttempts.key(r.jobId(), r.attempt()), r);
            }
        }
        unheld.values().forEach(r -> killAttempt(r.jobId(), r.attempt()));
    }

    /**
     * Kills the running commands, as their agents lose them with this runner. The sessions left behind stay, with
     * their records, for the next runner to kill when their attempts end.
     */
    @Override
    public void close() {
        for (Listed l : running.values()) {
            l.run().kill(grace);
            if (!ProcessGroups.alive(l.record().pid())) {
                records.forget(l.record());
            }
        }
        killers.shutdown();
        exits.shutdown();
    }
}
