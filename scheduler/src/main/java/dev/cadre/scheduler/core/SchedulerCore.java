package dev.cadre.scheduler.core;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The scheduler's decisions, without I/O: it holds unfinished jobs and known nodes in memory and turns
 * submissions, requests, runner events and the passing of time into {@link Decisions}. Not thread-safe: the
 * service calls it from one thread at a time. A pass leaves out jobs that may not start yet ({@link Eligibility}),
 * orders the rest by {@link Priorities}, and lets the configured {@link PlacementPolicy} place them.
 */
public final class SchedulerCore {
    private final Clock clock;
    private final SchedulerSettings settings;
    private final PlacementPolicy policy;
    private final BiFunction<Long, Integer, String> execTokens;
    private final JobTable jobs = new JobTable();
    private final EndedJobs ended;
    private final JobEndings endings;
    private final NodeLiveness nodes;
    private final LingeringAttempts lingering = new LingeringAttempts();
    private final DependencyCheck dependencies;
    private final Eligibility eligibility;
    private final JobControl control;
    private final NodeControl nodeControl;
    /** The id the next split-off array task gets; above every stored job's. */
    private long nextId = 1;
    /** What the last pass said of the jobs it did not look at; see {@link #reasonForNewJob}. */
    private String newcomersWait;
    /** Whether the last pass left a job that could run waiting for room; see {@link #backlogged}. */
    private boolean backlogged;
    /** Off only in the test that checks the lazy reading decides as the full one does. */
    private boolean readsQueueLazily = true;

    /** @param execTokens the job-scoped exec token of (job id, attempt) */
    public SchedulerCore(Clock clock, SchedulerSettings settings, BiFunction<Long, Integer, String> execTokens,
            JobHistory history) {
        this.clock = clock;
        this.settings = settings;
        this.policy = settings.policy().create(settings);
        this.execTokens = execTokens;
        this.ended = new EndedJobs(history);
        this.endings = new JobEndings(clock, settings, ended, history, lingering);
        this.nodes = new NodeLiveness(clock, settings.nodeTimeout(), endings, lingering);
        this.dependencies = new DependencyCheck(jobs, ended);
        this.eligibility = new Eligibility(dependencies);
        this.control = new JobControl(clock, jobs, endings, this::newId);
        this.nodeControl = new NodeControl(clock, jobs, nodes);
    }

    /** First come, first served, nothing ended before: as the tests of placement use it. */
    public SchedulerCore(Clock clock, PlacementPolicy.Kind policy, Duration nodeTimeout,
            BiFunction<Long, Integer, String> execTokens) {
        this(clock, SchedulerSettings.defaults(nodeTimeout).withPolicy(policy), execTokens, JobHistory.NONE);
    }

    /** For the equivalence test: every pass reads every pending job, as before {@link PassCandidates}. */
    void readQueueInFull() {
        readsQueueLazily = false;
    }

    private long newId() {
        return nextId++;
    }

    /**
     * Loads stored state after a start. Messages that a crash may have kept from being sent are sent again:
     * place-job for attempts the node never confirmed, kill-job for kills not yet confirmed, and set-time-limit
     * for every running job with a limit. Node-runners ignore repeats, so sending twice is safe; not sending could
     * strand a job, or leave its node enforcing a limit that cadre.db no longer holds.
     *
     * @param highestJobId the highest id stored, ended jobs included
     */
    public Decisions recover(List<JobRecord> unfinished, List<NodeRecord> known, long highestJobId) {
        nextId = Math.max(nextId, highestJobId + 1);
        nodes.recover(known);
        Decisions d = new Decisions();
        for (JobRecord j : unfinished) {
            if (j.array() != null && !jobs.hasArrayParts(j.array().arrayJobId())) {
                ended.track(j.array().arrayJobId(), false);
            }
            jobs.put(j);
            if (j.state() == JobState.RUNNING && !j.launchConfirmed()) {
                NodeMessages.place(j, execTokens).forEach(d::send);
            }
            if (j.state() == JobState.RUNNING && j.spec().timeLimitSeconds() != null) {
                // An update's limit is stored before its set-time-limit is sent, and nothing records that it
                // went: the node may hold the place-job's. A node already running the attempt ignores a repeated
                // place-job, so this follows one too. The node re-arms the same end and no second warning.
                d.send(NodeMessages.timeLimit(j));
            } else if (j.state() == JobState.COMPLETING) {
                NodeMessages.kill(j, JobState.valueOf(j.reason())).forEach(d::send);
            }
        }
        return d;
    }

    /** A job was stored; it takes part in the next placement pass. */
    public void admitted(JobRecord job) {
        nextId = Math.max(nextId, job.id() + 1);
        if (!job.state().isTerminal()) {
            if (job.array() != null) {
                ended.track(job.array().arrayJobId(), true);
            }
            jobs.put(job);
        }
    }

    /** One placement pass: starts what may start and fits, and records why the rest wait. */
    public Decisions schedule() {
        Instant now = clock.instant();
        Decisions d = new Decisions();
        if (jobs.pending().isEmpty()) {
            backlogged = false;
            return d;
        }
        Map<Long, Integer> activeTasks = jobs.activeTasksByArray();
        PassCandidates candidates = PassCandidates.of(jobs, eligibility, now, nodes::unavailableNames,
                nodes.undrainedIdle(), activeTasks, readsQueueLazily);
        Map<Long, String> reasons = candidates.reasons();
        // Stored with the relabelling or start that follows, as the job's reason changes either way.
        for (JobRecord j : candidates.nowEligible()) {
            jobs.put(j.withEligibleTime(now));
        }
        for (JobRecord j : candidates.hopeless()) {
            if (cancelsWhenNeverSatisfied(j.spec())) {
                d.addAll(endings.end(jobs, j, JobState.CANCELLED, Eligibility.NEVER_SATISFIED, null, null, null));
            } else {
                reasons.put(j.id(), Eligibility.NEVER_SATISFIED);
            }
        }
        PlacementPolicy.Result result = policy.place(candidates.queue(), nodes.freeResources(jobs), releases(now), now);
        newcomersWait = result.othersWait();
        backlogged = !result.waitReasons().isEmpty();
        for (Placement p : result.placements()) {
            start(d, p, now, activeTasks);
        }
        reasons.putAll(result.waitReasons());
        for (Placement p : result.placements()) {
            JobRecord left = jobs.get(p.jobId());
            if (left != null && left.state() == JobState.PENDING && PassCandidates.copies(left, activeTasks) == 0) {
                reasons.put(left.id(), PassCandidates.oneAtATime(left) ? Eligibility.DEPENDENCY : "JobArrayTaskLimit");
            }
        }
        for (var e : reasons.entrySet()) {
            JobRecord j = jobs.get(e.getKey());
            if (j != null && j.state() == JobState.PENDING) {
                relabel(d, j, e.getValue(), now);
            }
        }
        for (Long id : jobs.pendingWithReasonOtherThan(result.othersWait())) {
            if (!reasons.containsKey(id)) {
                relabel(d, jobs.get(id), result.othersWait(), now);
            }
        }
        return d;
    }

    private boolean cancelsWhenNeverSatisfied(JobSpec spec) {
        return spec.killOnInvalidDependency() != null ? spec.killOnInvalidDependency()
                : settings.cancelNeverSatisfied();
    }

    /** When each job holding nodes gives them back: a job being stopped at once, others at their time limit. */
    private List<Release> releases(Instant now) {
        List<Release> out = new ArrayList<>(jobs.active().size());
        for (JobRecord j : jobs.active()) {
            Instant at = j.state() == JobState.COMPLETING || j.startTime() == null ? now
                    : j.startTime().plus(Release.limitOf(j.spec()));
            out.add(new Release(at, j.allocation(), j.spec().wholeNodes()));
        }
        lingering.addReleases(out, now);
        return out;
    }

    /** Starts a placed job; an array's record gives its lowest pending task, split off unless it is the last. */
    private void start(Decisions d, Placement p, Instant now, Map<Long, Integer> activeTasks) {
        JobRecord j = jobs.get(p.jobId());
        if (j.array() != null && j.array().pending() != null) {
            j = ArraySplits.next(j, this::newId, d, jobs, now);
        }
        if (j.array() != null) {
            activeTasks.merge(j.array().arrayJobId(), 1, Integer::sum);
        }
        int attempt = j.attempt() + 1;
        JobRecord started = j.started(attempt, p.allocation(), now);
        jobs.put(started);
        d.change(new JobChange(started, j.state(), now, new AttemptRecord(j.id(), attempt,
                p.allocation().hostnames(), now, null, JobState.RUNNING, null, null, null)));
        NodeMessages.place(started, execTokens).forEach(d::send);
    }

    /**
     * The reason a job admitted now would get from the next pass, as far as the last pass tells: behind a
     * blocked queue a newcomer waits too. Admitting it with that reason spares a relabelling write and event
     * per job when jobs arrive faster than they can start; the next pass corrects it either way.
     */
    public String reasonForNewJob() {
        return newcomersWait != null && !jobs.pending().isEmpty() ? newcomersWait : "None";
    }

    /**
     * Whether the last pass left a job that could run waiting for room (or behind one that does). Then what this
     * scheduler sends can wait a few milliseconds to share messages: those jobs wait far longer anyway, and the
     * messages saved are what lets more of them start per second.
     */
    public boolean backlogged() {
        return backlogged;
    }

    private void relabel(Decisions d, JobRecord j, String reason, Instant now) {
        if (!reason.equals(j.reason())) {
            JobRecord waiting = j.withState(JobState.PENDING, reason);
            jobs.put(waiting);
            d.change(new JobChange(waiting, JobState.PENDING, now, null));
        }
    }

    public JobControl control() {
        return control;
    }

    /** Drain, resume and delete of nodes. */
    public NodeControl nodeControl() {
        return nodeControl;
    }

    /** scancel of one job, or of a whole array by its id. */
    public JobControl.Outcome<ClientReply.CancelResult> cancel(long jobId) {
        return control.cancel(new ClientRequest.CancelJob(jobId));
    }

    public Decisions onRunnerEvent(RunnerEvent event) {
        if (event instanceof RunnerEvent.RunnerEvents batch) {
            Decisions d = new Decisions();
            batch.events().forEach(e -> d.addAll(onRunnerEvent(e)));
            return d;
        }
        if (event instanceof RunnerEvent.NodeHeartbeat hb) {
            return nodes.heartbeat(jobs, hb);
        }
        if (event instanceof RunnerEvent.RunnerRunning r) {
            return current(r.jobId(), r.attempt()).map(this::confirmLaunch).orElseGet(Decisions::new);
        }
        if (event instanceof RunnerEvent.RunnerFinished f) {
            return current(f.jobId(), f.attempt()).map(j -> endings.finished(jobs, j, f))
                    .orElseGet(() -> lingering.released(f.jobId(), f.attempt(), f.nodeId()));
        }
        if (event instanceof RunnerEvent.RunnerReleased r) {
            Decisions d = lingering.released(r.jobId(), r.attempt(), r.nodeId());
            d.addAll(nodes.released(jobs, r));
            return d;
        }
        RunnerEvent.RunnerFailed f = (RunnerEvent.RunnerFailed) event;
        return current(f.jobId(), f.attempt())
                .map(j -> endings.end(jobs, j, JobState.FAILED, "LaunchFailed", null, null, f.error()))
                .orElseGet(Decisions::new);
    }

    private Optional<JobRecord> current(long jobId, int attempt) {
        JobRecord j = jobs.get(jobId);
        return j != null && j.attempt() == attempt && j.state().isActive() ? Optional.of(j) : Optional.empty();
    }

    private Decisions confirmLaunch(JobRecord j) {
        Decisions d = new Decisions();
        if (!j.launchConfirmed()) {
            JobRecord confirmed = j.confirmed();
            jobs.put(confirmed);
            d.change(new JobChange(confirmed, j.state(), clock.instant(), null));
        }
        return d;
    }

    /** The node-timeout reconciler: nodes silent too long go DOWN and their jobs fail or requeue. */
    public Decisions tick() {
        return nodes.tick(jobs);
    }

    /** Why the job could never run on the nodes known so far, or empty; see {@link NodeLiveness#neverFits}. */
    public Optional<JobSpecValidator.Problem> neverFits(JobSpec spec) {
        return nodes.neverFits(spec);
    }

    /** A dependency naming a job that does not exist, as Slurm refuses it at submission. */
    public Optional<JobSpecValidator.Problem> dependencyProblem(JobSpec spec) {
        if (spec.dependency() == null) {
            return Optional.empty();
        }
        return dependencies.unknownTarget(Dependencies.parse(spec.dependency()))
                .map(why -> new JobSpecValidator.Problem("spec.dependency", why));
    }

    /**
     * The history pruner is about to delete these ended jobs and arrays: from now until {@link #historyPruned}, a
     * new job naming one of them is refused, as its delete could not see the new job and keep what it names.
     */
    public void historyPruning(Collection<Long> jobAndArrayIds) {
        ended.leaving(jobAndArrayIds);
    }

    /** The pruner deleted these jobs and every row of these arrays: dependencies no longer find them. */
    public void historyPruned(Collection<Long> jobIds, Collection<Long> arrayJobIds) {
        ended.gone(jobIds, arrayJobIds);
    }

    /** The unfinished instances of a service. */
    public List<JobRecord> instancesOf(String service) {
        return jobs.instancesOf(service);
    }

    /** Service instances that ended since the last call, for the services' reconciler. */
    public List<JobRecord> takeEndedInstances() {
        return endings.takeEndedInstances();
    }

    public Optional<JobRecord> job(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public List<NodeRecord> nodes() {
        return nodes.records();
    }
}
