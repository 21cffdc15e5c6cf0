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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of the remote commands run on this node, each recorded on disk ({@link ExecRecords}) until nothing
 * of it runs: the commands running, by request id, and, by attempt, the sessions left behind by commands that ended
 * (a daemon started without the command's pipes) or by an earlier runner killed with SIGKILL. All of an attempt's
 * are killed when it ends or is killed; an earlier runner's are killed at start unless their attempt is held.
 * Where the node tracks processes by cgroup, each command runs in a cgroup of its own ({@link AttemptCgroups}),
 * which is its record: it outlives a runner killed with SIGKILL, and a daemon cannot leave it as it can a session.
 */
final class ExecSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSessions.class);

    /**
     * @param record null for a run in a cgroup
     * @param name its record's name, or its cgroup's, under which its request id is recorded
     */
    private record Listed(ExecRun run, ExecRunRecord record, String name) {
    }

    /**
     * What a command left: its session, with its record, or its cgroup (record null).
     *
     * @param requestId the request it ran for, null when unknown
     */
    private record Left(long jobId, int attempt, JobProcesses processes, ExecRunRecord record, String name,
            String requestId) {
    }

    private final ExecRecords records;
    private final HeldAttempts held;
    private final Duration grace;
    /** The node's cgroups; null where it tracks processes by session. */
    private final AttemptCgroups cgroups;
    /** Where an earlier runner of this node kept its cgroups, for one that now tracks by session; else null. */
    private final AttemptCgroups formerCgroups;
    private final Map<String, Listed> running = new ConcurrentHashMap<>();
    /** What no run of this runner reads, by attempt key; guarded by itself. */
    private final Map<String, List<Left>> leftovers = new HashMap<>();
    /** How many kills of each attempt's sessions are under way. */
    private final Map<RunnerEvent.RunningAttempt, Integer> stopping = new ConcurrentHashMap<>();
    private final ExecutorService killers = Executors.newCachedThreadPool(r -> daemon(r, "cadre-exec-kill"));
    /** Where runs report their exits: the common ForkJoin pool must not wait on the broker for them. */
    private final ExecutorService exits = Executors.newCachedThreadPool(r -> daemon(r, "cadre-exec-exit"));

    /**
     * @param held what an attempt's sessions may outlive their run for; released, they are killed
     * @param cgroups the node's cgroups, a command's processes in one of its own; null to track them by session
     */
    ExecSessions(ExecRecords records, HeldAttempts held, Duration grace, AttemptCgroups cgroups) {
        this(records, held, grace, cgroups, null);
    }

    /** @param formerCgroups where an earlier runner kept its cgroups, when this one tracks by session; else null */
    ExecSessions(ExecRecords records, HeldAttempts held, Duration grace, AttemptCgroups cgroups,
            AttemptCgroups formerCgroups) {
        this.formerCgroups = formerCgroups;
        this.records = records;
        this.held = held;
        this.grace = grace;
        this.cgroups = cgroups;
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
     * Starts the command, records it (or makes its cgroup first), and only then reports it.
     *
     * @throws IOException when bash cannot start, its cgroup cannot be made, or the run cannot be recorded (it is
     *     then killed unreported)
     */
    ExecRun start(ExecMessage.ExecRequest request, Path workDir, Map<String, String> environment,
            ExecRun.Replies replies) throws IOException {
        Path cgroup = cgroups == null ? null : cgroups.createExec(request.jobId(), request.attempt());
        ExecRun run;
        try {
            run = ExecRun.start(request, workDir, environment, reply -> {
                replies.send(reply);
                if (reply instanceof ExecMessage.ExecExit) {
                    ended(request.requestId());
                }
            }, cgroup);
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                AttemptCgroups.removeIfEmpty(cgroup);
            }
            throw e;
        }
        ExecRunRecord record = null;
        String name;
        try {
            if (cgroup == null) {
                record = records.recordRun(request.jobId(), request.attempt(), run.pid());
            }
            name = nameOf(record, cgroup);
            records.recordRequest(name, request.requestId());
        } catch (IOException | RuntimeException e) {
            killers.execute(() -> run.discard(grace));
            throw new IOException("cannot record the command in " + records.dir() + ": " + e.getMessage(), e);
        }
        // Listed before anything is reported, so that its exit always finds it.
        running.put(request.requestId(), new Listed(run, record, name));
        run.report(exits);
        return run;
    }

    private static String nameOf(ExecRunRecord record, Path cgroup) {
        if (record == null) {
            return cgroup.getFileName().toString();
        }
        String file = record.fileName();
        return file.substring(0, file.length() - ExecRunRecord.SUFFIX.length());
    }

    private void ended(String requestId) {
        Listed l = running.remove(requestId);
        if (l == null) {
            return;
        }
        ExecRun run = l.run();
        // Its exit is reported: a restarted runner has nothing to answer its agent.
        records.forgetRequest(l.name());
        if (run.processes().removeIfGone()) {
            if (l.record() != null) {
                records.forget(l.record());
            }
            return;
        }
        // Bash ended, and something it started runs on without its pipes: it dies with its attempt.
        leave(List.of(new Left(run.jobId(), run.attempt(), run.processes(), l.record(), l.name(), null)));
        if (!held.holds(run.jobId(), run.attempt())) {
            killAttempt(run.jobId(), run.attempt()); // released meanwhile
        }
    }

    private void leave(List<Left> left) {
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
        List<Left> left;
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

    private void killLeftover(Left left) {
        try {
            killLeftoverProcesses(left);
        } finally {
            records.forgetRequest(left.name());
        }
    }

    private void killLeftoverProcesses(Left left) {
        ExecRunRecord r = left.record();
        if (r == null) {
            LOG.info("job {} attempt {}: killing what a remote command left in {}", left.jobId(), left.attempt(),
                    left.processes());
            if (!left.processes().terminate(grace) || !left.processes().removeIfGone()) {
                LOG.error("job {} attempt {}: processes are left in {} after SIGKILL", left.jobId(), left.attempt(),
                        left.processes());
            }
            return;
        }
        if (r.mayStillRun(ProcessGroups.startTicks(r.pid()))) {
            LOG.info("job {} attempt {}: killing the session {} a remote command left", r.jobId(), r.attempt(),
                    r.pid());
            left.processes().terminate(grace);
        }
        records.forget(r);
    }

    /**
     * Lists the sessions an earlier runner recorded, and the cgroups of its commands that are not empty (the empty
     * ones are removed); before anything can release an attempt.
     */
    int adopt() throws IOException {
        List<Left> found = new ArrayList<>();
        for (ExecRunRecord r : records.runs()) {
            String name = nameOf(r, null);
            found.add(new Left(r.jobId(), r.attempt(), new JobProcesses.Session(new JobProcesses.Leader(r.pid(),
                    r.startTicks())), r, name, records.request(name).orElse(null)));
        }
        for (AttemptCgroups.Found f : execCgroups()) {
            String name = f.dir().getFileName().toString();
            if (!AttemptCgroups.removeIfEmpty(f.dir())) {
                found.add(new Left(f.name().jobId(), f.name().attempt(), new JobProcesses.Cgroup(f.dir()), null,
                        name, records.request(name).orElse(null)));
            }
        }
        Set<String> names = found.stream().map(Left::name).collect(Collectors.toSet());
        for (String requested : records.requested()) {
            if (!names.contains(requested)) {
                records.forgetRequest(requested); // its command ended while no runner ran
            }
        }
        leave(found);
        return found.size();
    }

    /**
     * The cgroups of commands an earlier runner left: in the node's cgroup directory, whatever this runner tracks by
     * (one that ran with cgroups and was restarted with sessions still finds them).
     */
    private List<AttemptCgroups.Found> execCgroups() throws IOException {
        AttemptCgroups where = cgroups != null ? cgroups : formerCgroups;
        return where == null ? List.of() : where.list().stream().filter(f -> f.name().isExec()).toList();
    }

    /**
     * The processes of a command an earlier runner started for this request and left running, if it recorded the
     * request: a restarted runner answers the command's agent once they are gone.
     */
    Optional<JobProcesses> adopted(String requestId) {
        synchronized (leftovers) {
            return leftovers.values().stream().flatMap(List::stream).filter(l -> requestId.equals(l.requestId()))
                    .map(Left::processes).findFirst();
        }
    }

    /** Kills the listed sessions whose attempts are not held here: the attempts ended while no runner ran. */
    void killUnheld() {
        List<Left> all;
        synchronized (leftovers) {
            all = leftovers.values().stream().flatMap(List::stream).toList();
        }
        Map<String, Left> unheld = new LinkedHashMap<>();
        for (Left r : all) {
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
            if (l.run().processes().removeIfGone() && l.record() != null) {
                records.forget(l.record());
            }
        }
        killers.shutdown();
        exits.shutdown();
    }
}
