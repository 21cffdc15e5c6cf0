package dev.cadre.node;

import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of the remote commands run on this node, each recorded on disk ({@link ExecRecords}) until nothing of
 * it runs: the commands running, by request id ({@link RunningCommands}), and, by attempt, the sessions left behind by
 * commands that ended (a daemon started without the command's pipes) or by an earlier runner killed with SIGKILL
 * ({@link LeftoverCommands}). All of an attempt's are killed when it ends or is killed (by the next runner once this
 * one stops); an earlier runner's are killed at start unless their attempt is held. Where the node tracks processes
 * by cgroup, each command runs in a cgroup of its own ({@link AttemptCgroups}), which is its record: it outlives a
 * runner killed with SIGKILL, and a daemon cannot leave it as it can a session.
 */
final class ExecSessions implements AutoCloseable, MemoryWatch.RemoteCommands {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSessions.class);

    private final HeldAttempts held;
    private final Duration grace;
    private final RecordedCommands recorded;
    private final RunningCommands running = new RunningCommands();
    /** The attempts suspended here: their agents, stopped too, may send no keepalives. */
    private final SuspendedCommands suspended;
    private final LeftoverCommands leftovers;
    private final ToldExits told = new ToldExits();
    private final CommandVmPeaks vmPeaks = new CommandVmPeaks();
    private final SessionKills killers = new SessionKills();
    /** Where runs report their exits: the common ForkJoin pool must not wait on the broker for them. */
    private final ExecutorService exits = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cadre-exec-exit");
        t.setDaemon(true);
        return t;
    });

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
        this.held = held;
        this.grace = grace;
        this.recorded = new RecordedCommands(records, grace, cgroups, killers::execute, held);
        this.leftovers = new LeftoverCommands(records, grace, cgroups != null ? cgroups : formerCgroups);
        this.suspended = new SuspendedCommands(records.dir());
    }

    /** The virtual memory peaks of attempts coordinated elsewhere, which their commands' exits tell. */
    CommandVmPeaks vmPeaks() {
        return vmPeaks;
    }

    boolean running(String requestId) {
        return running.contains(requestId);
    }

    /**
     * The requester let the run go (its agent went away): its session is killed now, not once the silence limit
     * passes.
     *
     * @return whether it was running here
     */
    boolean release(String requestId) {
        RunningCommands.Listed l = running.get(requestId);
        if (l == null) {
            return false;
        }
        ExecRun run = l.run();
        if (told.toldOverMemory(requestId)) {
            // The requester's answer to the exit it was told: its node has taken the job's end as OUT_OF_MEMORY.
            LOG.info("exec {} of job {}: its requester took the kill for memory; killing the attempt's commands here",
                    requestId, run.jobId());
            CommandMemoryWatch.killNow(processes(run.jobId(), run.attempt()));
            return true;
        }
        LOG.info("exec {} of job {}: released by its requester (its agent went away); killing its session",
                requestId, run.jobId());
        boolean stopped = suspended.contains(run.jobId(), run.attempt());
        killers.execute(() -> run.kill(grace, stopped));
        return true;
    }

    /** The exit reported for a run that ended here lately, to be told again to an agent that did not get it. */
    Optional<ExecMessage.ExecExit> exitTold(String requestId) {
        return told.lately(requestId);
    }

    /**
     * Hands a piece of input to the run's command ({@link ExecInput}), without waiting.
     *
     * @return null when taken (or refused to its relay); else why nothing here takes it
     */
    String offer(ExecMessage.ExecInput piece) {
        RunningCommands.Listed l = running.get(piece.requestId());
        if (l == null) {
            return told.lately(piece.requestId()).isPresent() ? null : "no such command runs here";
        }
        return l.run().offer(piece) ? null : "its request asked for no input (its standard input is /dev/null)";
    }

    /** Gives the run's pseudo-terminal its requester's new size, waiting for stty; null once set, else why not. */
    String resize(String requestId, TerminalSize size) {
        RunningCommands.Listed l = running.get(requestId);
        return l == null ? "no such command runs here" : TerminalResize.apply(l.run(), size);
    }

    /** The run was resumed by another relay: its input is closed (protocol.md 13.9). */
    void closeInput(String requestId) {
        RunningCommands.Listed l = running.get(requestId);
        if (l != null) {
            l.run().closeInput();
        }
    }

    /** Where the run's answers go; null when it is not running here. */
    ExecRun.Replies heard(String requestId) {
        RunningCommands.Listed l = running.get(requestId);
        if (l != null) {
            l.run().heard();
        }
        return l == null ? null : l.replies();
    }

    /**
     * Starts the command, records it (or makes its cgroup first: {@link RecordedCommands}), and only then
     * reports it.
     *
     * @throws IOException when bash cannot start, its cgroup cannot be made, or the run cannot be recorded (it is
     *     then killed unreported)
     */
    ExecRun start(ExecMessage.ExecRequest request, Path workDir, Map<String, String> environment,
            ExecRun.Replies replies) throws IOException {
        RecordedCommands.Started command = recorded.start(request, workDir, environment, reply -> {
            ToldExits.Passed passed = told.pass(request.requestId(), vmPeaks.told(request.jobId(), request.attempt(),
                    reply), replies);
            if (passed != ToldExits.Passed.ANSWER) {
                ended(request.requestId(), passed == ToldExits.Passed.EXIT_TOLD);
            }
            return passed != ToldExits.Passed.EXIT_UNSENT;
        });
        ExecRun run = command.run();
        // Listed before anything is reported, so that its exit always finds it; stopped if suspended meanwhile.
        suspended.started(request.jobId(), request.attempt(), () -> running.add(request.requestId(),
                new RunningCommands.Listed(command, replies)), run.processes());
        run.report(exits);
        return run;
    }

    /** @param told whether its agent has its exit: if not, its records stay, for the next runner to tell it */
    private void ended(String requestId, boolean told) {
        RunningCommands.Listed l = running.remove(requestId);
        if (l == null || told && recorded.exitReported(l.command())) {
            return;
        }
        ExecRun run = l.run();
        // Bash ended, and something it started runs on without its pipes (or its exit is still to be told): it goes
        // with its attempt.
        leftovers.leave(List.of(new LeftoverCommands.Left(run.jobId(), run.attempt(), run.processes(),
                l.command().record(), l.command().name(), null)));
        if (!held.holds(run.jobId(), run.attempt())) {
            killAttempt(run.jobId(), run.attempt()); // released meanwhile
        }
    }

    /** Kills the sessions of the runs whose agents have been silent for longer than each one's limit. */
    void killSilent(Function<ExecRun, Duration> limits) {
        for (RunningCommands.Listed l : running.all()) {
            ExecRun run = l.run();
            Duration limit = limits.apply(run);
            if (suspended.contains(run.jobId(), run.attempt())) {
                continue;
            }
            // Not bash alone: it may have ended and left a child holding the pipes, which keeps the run going.
            if (run.silentFor(limit)) {
                LOG.warn("exec {} of job {}: no keepalive from its agent for {} s; killing its session",
                        run.requestId(), run.jobId(), limit.toSeconds());
                run.heard();
                killers.execute(() -> run.kill(grace));
            }
        }
    }

    /** The attempt was released: its sessions here are killed in the background; done once gone (at once if none). */
    CompletableFuture<Void> killAttempt(long jobId, int attempt) {
        if (killers.stopped()) {
            return CompletableFuture.completedFuture(null); // left as it is to the next runner (SessionKills)
        }
        boolean stopped = suspended.contains(jobId, attempt);
        List<Runnable> kills = new ArrayList<>();
        running.ofAttempt(jobId, attempt).forEach(l -> kills.add(() -> l.run().kill(grace, stopped)));
        leftovers.take(jobId, attempt, told::remember).forEach(r -> kills.add(() -> leftovers.kill(r, stopped)));
        // Its mark stays until they are gone: a runner killed meanwhile continues them after its own SIGTERM.
        return killers.ofAttempt(jobId, attempt, kills).whenComplete((v, e) -> suspended.forget(jobId, attempt));
    }

    /**
     * scontrol suspend (stop) or resume of the attempt: every process of its commands here stopped or continued
     * ({@link SuspendedCommands}, kept on disk for a restarted runner); a run's agent's silence counts from now.
     *
     * @return the processes signalled
     * @throws IOException when the suspension cannot be kept: the command is to be redelivered
     */
    List<Long> suspend(long jobId, int attempt, boolean stop) throws IOException {
        List<Long> signalled = suspended.apply(jobId, attempt, stop, () -> processes(jobId, attempt));
        running.ofAttempt(jobId, attempt).forEach(l -> l.run().heard());
        return signalled;
    }

    /** Where every process of the attempt's commands here is, running or left behind. */
    @Override
    public List<JobProcesses> processes(long jobId, int attempt) {
        List<JobProcesses> all = new ArrayList<>(leftovers.processes(jobId, attempt));
        running.ofAttempt(jobId, attempt).forEach(l -> all.add(l.run().processes()));
        return all;
    }

    /**
     * Tells the agent of each of the attempt's running commands here that the job's memory on this node is over its
     * request ({@link CommandMemoryWatch}): SIGKILL's exit, {@code killedFor} OUT_OF_MEMORY, the error naming node
     * and figures, ahead of the kill. The commands' own exits later go to nobody.
     *
     * @return how many agents were told; none when the attempt has no running command here
     */
    int tellOverMemory(long jobId, int attempt, String error) {
        return told.tellOverMemory(running.ofAttempt(jobId, attempt), error);
    }

    /** Attempts whose sessions are being killed here: a heartbeat lists them until they are gone. */
    List<RunnerEvent.RunningAttempt> stopping() {
        return killers.stopping();
    }

    /**
     * Lists what an earlier runner's commands left ({@link LeftoverCommands#adopt}, {@code output} reading on what they
     * write), and what it left suspended.
     */
    int adopt(LeftoverCommands.OutputReader output) throws IOException {
        int left = leftovers.adopt(output);
        suspended.adopt(a -> processes(a.jobId(), a.attempt()));
        return left;
    }

    /**
     * What an earlier runner's command for this request left running, if it recorded the request; also once it
     * ended, when its exit status is lost. One whose wrapper recorded the status is not, and that exit is told to
     * its agent as a lately ended run's ({@link #exitTold}).
     */
    Optional<JobProcesses> adopted(String requestId) {
        return leftovers.adopted(requestId, told::remember);
    }

    @Override
    public Set<Long> wrappers(long jobId, int attempt) {
        Set<Long> pids = new HashSet<>(leftovers.leaders(jobId, attempt));
        running.ofAttempt(jobId, attempt).forEach(l -> pids.add(l.run().pid()));
        return pids;
    }

    /** Kills the listed sessions whose attempts are not held here: the attempts ended while no runner ran. */
    void killUnheld() {
        leftovers.ofUnheld(held).forEach(r -> killAttempt(r.jobId(), r.attempt()));
        suspended.forgetUnless(a -> held.holds(a.jobId(), a.attempt()));
    }

    /**
     * Leaves the running commands, with their records, to the next runner, as a kill -9 does: their agents are on
     * another node and go on sending keepalives, so a runner stopped to be restarted (an upgrade) must not end them,
     * any more than it ends its batch jobs ({@link JobSupervisor#close}). The next runner answers their agents once
     * they end ({@link UnknownRequests}) and kills them with their attempts, or at start when those ended meanwhile.
     */
    @Override
    public void close() {
        killers.close();
        exits.shutdown();
        running.all().forEach(l -> l.run().leave());
    }
}
