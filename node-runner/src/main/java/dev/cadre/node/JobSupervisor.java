package dev.cadre.node;

import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs job attempts as process groups, each in a cgroup of its own where the node tracks processes by cgroup
 * ({@link AttemptCgroups}), and reports how they end. Each attempt runs under a small wrapper
 * ({@link JobStarter}: forked by the node's job launcher) that records the script's exact exit code and signal in
 * the attempt directory, so the outcome survives a node-runner that died meanwhile: on start,
 * {@link #adoptLeftovers} watches or reports every attempt it finds on disk. Every process of the group, or of the
 * cgroup, is gone before an attempt is reported finished. An attempt with a memory request is killed when its
 * processes here hold more ({@link MemoryWatch}).
 */
public final class JobSupervisor implements AutoCloseable {
    private final Path jobsDir;
    private final String nodeId;
    private final Duration killGrace;
    private final AttemptEvents events;
    private final Clock clock;
    /** How long outcomes of ended attempts are kept for repeated place-jobs. */
    private final EndedAttempts ended;
    private final Map<String, RunningAttempt> running = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, daemon("cadre-job-timers"));
    /** Ends are handled apart from the timers, and several at once, so a burst of short jobs does not queue. */
    private final ExecutorService endings = Executors.newFixedThreadPool(4, daemon("cadre-job-endings"));
    private final ReportedEnds reported;
    private final AttemptStopper stopper;
    private final MemoryWatch memory;
    private final AttemptControls controls;
    private final JobStarter starter;
    /** For tests: runs between a place-job's outcome lookup and its directory's making, where an end may land. */
    volatile Runnable afterOutcomeLookup = () -> { };
    private final LaunchPreparation preparation;
    private final UnstartedAttempts unstarted;
    private final AttemptCompletion completion;
    /** The node's cgroups; null where it tracks jobs by session. */
    private final AttemptCgroups cgroups;
    /** Where an earlier runner kept its cgroups, for one that tracks by session: searched at adoption; else null. */
    private volatile AttemptCgroups formerCgroups;
    /** Starts each attempt on the CPUs ({@code --cpu-binding}) and GPUs it is given. */
    private final AttemptStart start;

    public JobSupervisor(Path stateDir, String nodeId, Duration killGrace, String clusterName, AttemptEvents events,
            Clock clock) throws IOException {
        this(stateDir, stateDir.resolve("jobs"), nodeId, killGrace, clusterName, events, clock, null, null,
                JobLauncher.Setup.DEFAULT);
    }

    /**
     * @param remoteExec null when jobs get no hostfile or rsh agent (a node without the cadre launcher)
     * @param relay this node's exec relay, for its socket and its agents' failures; null when it has none
     * @param launcher how to run the node's job launcher
     */
    JobSupervisor(Path stateDir, Path jobsDir, String nodeId, Duration killGrace, String clusterName,
            AttemptEvents events, Clock clock, RemoteExec remoteExec, ExecRelay relay, JobLauncher.Setup launcher)
            throws IOException {
        this(stateDir, jobsDir, nodeId, killGrace, clusterName, events, clock, remoteExec, relay, launcher, null,
                MemoryWatch.DEFAULT_INTERVAL, BoundCpus.NONE);
    }

    /**
     * @param cgroups the node's cgroups, each attempt's processes in one; null to track them by session
     * @param memoryChecks how often the memory of attempts with a memory request is measured
     * @param cpus the CPUs attempts are bound to ({@link BoundCpus#NONE} for none)
     */
    JobSupervisor(Path stateDir, Path jobsDir, String nodeId, Duration killGrace, String clusterName,
            AttemptEvents events, Clock clock, RemoteExec remoteExec, ExecRelay relay, JobLauncher.Setup launcher,
            AttemptCgroups cgroups, Duration memoryChecks, BoundCpus cpus) throws IOException {
        this.cgroups = cgroups;
        this.starter = new JobStarter(launcher, stateDir.resolve("launcher.log"), clock);
        // Each attempt's time limit is a timer; cancelled at the attempt's end, it must not linger until due.
        timers.setRemoveOnCancelPolicy(true);
        this.jobsDir = Files.createDirectories(jobsDir.toAbsolutePath());
        this.ended = new EndedAttempts(stateDir, clock);
        this.preparation = new LaunchPreparation(this.jobsDir, nodeId, clusterName, remoteExec, relay, cgroups,
                OutputDestinations.of(stateDir, this.jobsDir.getParent()), clock);
        this.unstarted = new UnstartedAttempts(events, ended, preparation);
        this.start = new AttemptStart(starter, running, unstarted, cpus);
        this.reported = new ReportedEnds(ended, running, endings);
        this.completion = new AttemptCompletion(nodeId, killGrace, events, reported, relay, timers, endings, clock);
        this.stopper = new AttemptStopper(timers, killGrace, r -> running.containsKey(r.key()),
                AttemptStopper.PROCESS_GROUPS);
        this.memory = new MemoryWatch(memoryChecks, stopper, r -> running.containsKey(r.key()));
        this.controls = new AttemptControls(running, stopper, clock);
        if (relay != null) {
            relay.usage().countWith(controls::countRemoteUsage);
        }
        timers.scheduleAtFixedRate(() -> ended.pruneExpired(clock.instant()), 0, 1, TimeUnit.HOURS);
        this.nodeId = nodeId;
        this.killGrace = killGrace;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Starts an attempt. A repeated place-job for an attempt this node is running is ignored; for one it has
     * ended, the outcome is reported again, unless it was recorded for another job key: another job of the same id.
     */
    public void launch(NodeCommand.PlaceJob place) throws Exception {
        Optional<EndedAttempts.Ended> earlier = ended.answering(place);
        if (earlier.isPresent()) {
            unstarted.reportAgain(place, earlier.get());
            return;
        }
        afterOutcomeLookup.run();
        LaunchPreparation.Prepared prepared = preparation.prepare(place);
        if (prepared instanceof LaunchPreparation.Refused refused) {
            unstarted.report(refused.dir(), place, refused.outcome());
            return;
        }
        if (!(prepared instanceof LaunchPreparation.Ready ready)) {
            unstarted.ignoreRepeated(place, running.get(RunningAttempt.key(place.jobId(), place.attempt())));
            return;
        }
        if (unstarted.endedMeanwhile(place, ready.dir(), ready.cgroup())) {
            return;
        }
        Optional<AttemptStart.Begun> begun = start.begin(place, ready);
        if (begun.isEmpty()) {
            return;
        }
        RunningAttempt r = begun.get().attempt();
        JobStarter.Started started = begun.get().wrapper();
        try {
            events.send(new RunnerEvent.RunnerRunning(r.jobId, r.attempt, nodeId, clock.instant(), r.cpuIds(),
                    start.gpusSaid(r)));
        } finally {
            // Watched before anything else can fail: the job runs, and only this reports its end.
            started.end().thenAcceptAsync(exit -> completion.complete(r, exit), endings);
        }
        stopper.armTimeLimit(r, place.spec(), started.at(), clock);
        memory.watch(r, place, nodeId);
    }

    /** kill-job ({@link AttemptControls#kill}); @throws RuntimeException when SIGTERM could not be sent */
    public void kill(NodeCommand.KillJob kill) {
        controls.kill(kill);
    }

    /** scancel --signal ({@link AttemptControls#signal}). */
    public void signal(NodeCommand.SignalAttempt s) {
        controls.signal(s);
    }

    /** scontrol's new time limit ({@link AttemptControls#setTimeLimit}); @throws IOException when not kept */
    public void setTimeLimit(NodeCommand.SetTimeLimit s) throws IOException {
        controls.setTimeLimit(s);
    }

    /** scontrol suspend ({@link AttemptControls#suspend}); @throws IOException when not kept */
    public void suspend(NodeCommand.SuspendAttempt s) throws IOException {
        controls.suspend(s);
    }

    /** scontrol resume ({@link AttemptControls#resume}); @throws IOException when not kept */
    public void resume(NodeCommand.ResumeAttempt s) throws IOException {
        controls.resume(s);
    }

    /** Joins remote exec: commands here count with their attempts' memory; another node's memory kill stops one. */
    void joinRemoteExec(MemoryWatch.RemoteCommands commands, AgentFailures failures) {
        memory.measureRemoteCommands(commands);
        failures.stopAttemptsWith(controls::stopForMemoryElsewhere);
    }

    /**
     * Finds attempts left by an earlier run of this node-runner ({@link LeftoverAttempts}): watches live ones,
     * reports ended ones; then kills what is in the cgroups of attempts it does not run.
     *
     * @param adopted told of each adopted attempt's place-job before the attempt is watched, reported or started,
     *     as the node's exec service is told of each place-job that arrives
     */
    public void adoptLeftovers(Consumer<NodeCommand.PlaceJob> adopted) throws IOException {
        AttemptCgroups found = cgroups != null ? cgroups : formerCgroups;
        new LeftoverAttempts(jobsDir, found, new LeftoverAttempts.Supervision() {
            @Override
            public void launch(NodeCommand.PlaceJob place) throws Exception {
                JobSupervisor.this.launch(place);
            }

            @Override
            public void reportFailed(AttemptDirectory dir, NodeCommand.PlaceJob place, String error)
                    throws Exception {
                unstarted.reportFailed(dir, place, error);
            }

            @Override
            public void watch(RunningAttempt r, ProcessHandle wrapper, NodeCommand.PlaceJob place) {
                start.adopted(r, wrapper.pid(), place);
                running.put(r.key(), r);
                wrapper.onExit().thenRunAsync(() -> completion.complete(r, null), endings);
                stopper.armTimeLimit(r, place.spec(), wrapper.info().startInstant().orElse(clock.instant()), clock);
                memory.watch(r, place, nodeId);
            }

            @Override
            public void ended(RunningAttempt r) {
                running.put(r.key(), r);
                endings.execute(() -> completion.complete(r, null));
            }
        }).adopt(adopted);
        if (found != null) {
            found.removeUnknownAttempts(name -> running.containsKey(RunningAttempt.key(name.jobId(),
                    name.attempt())), killGrace, endings);
        }
    }

    /**
     * For a node that now tracks by session: where its earlier runner kept cgroups, so that adoption kills what is
     * left in them; set before {@link #adoptLeftovers}.
     */
    void searchFormerCgroups(AttemptCgroups former) {
        this.formerCgroups = former;
    }

    /**
     * Whether the attempt's directory is still here, for the next start to take up: the stop then leaves its cgroup,
     * which a wrapper the launcher forked may not have joined yet ({@link AttemptCgroups#removeEmpty}).
     */
    boolean leavesForNextStart(ProcessTracking.GroupName attempt) {
        return Files.exists(AttemptDirectory.of(jobsDir, attempt.jobId(), attempt.attempt()));
    }

    /** Whether the attempt runs here: its end is then reported by runner-finished. */
    boolean runs(long jobId, int attempt) {
        return running.containsKey(RunningAttempt.key(jobId, attempt));
    }

    /** The node's GPUs, which attempts are given from here on: set before {@link #adoptLeftovers}. */
    void bindGpus(BoundGpus given) {
        start.shares().bindGpus(given);
    }

    /** What each of the node's attempts holds, which its remote commands are given too. */
    AttemptShares shares() {
        return start.shares();
    }

    /** The attempt while it runs here, until its end is reported; null when it does not. */
    RunningAttempt find(long jobId, int attempt) {
        return running.get(RunningAttempt.key(jobId, attempt));
    }

    public List<RunnerEvent.RunningAttempt> running() {
        return running.values().stream().map(r -> new RunnerEvent.RunningAttempt(r.jobId, r.attempt)).toList();
    }

    /** For tests: the node's job launcher, while one runs. */
    OptionalInt launcherPid() {
        return starter.launcherPid();
    }

    @Override
    public void close() {
        starter.close();
        timers.shutdownNow();
        memory.close();
        endings.shutdownNow();
        ended.close();
        AttemptCgroups found = cgroups != null ? cgroups : formerCgroups;
        if (found != null) {
            found.removeNodeGroupIfEmpty();
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
