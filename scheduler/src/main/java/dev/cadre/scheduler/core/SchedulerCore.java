package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.FairShare;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.PartitionRequest;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.RunnerEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
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
    private final BiFunction<Long, Integer, String> execTokens;
    private final JobTable jobs = new JobTable();
    private final EndedJobs ended;
    private final JobEndings endings;
    private final NodeLiveness nodes;
    private final LingeringAttempts lingering = new LingeringAttempts();
    private final DependencyCheck dependencies;
    private final PlacementPass pass;
    private final JobControl control;
    private final NodeControl nodeControl;
    private final RunnerEventDecisions runnerEvents;
    private final JobMail mail;
    private final AdvanceReservations reservations;
    private final Partitions partitions = new Partitions();
    /** The id the next split-off array task gets; above every stored job's. */
    private long nextId = 1;

    /** @param execTokens the job-scoped exec token of (job id, attempt) */
    public SchedulerCore(Clock clock, SchedulerSettings settings, BiFunction<Long, Integer, String> execTokens,
            JobHistory history) {
        this.clock = clock;
        this.settings = settings;
        this.execTokens = execTokens;
        this.ended = new EndedJobs(history);
        this.endings = new JobEndings(clock, settings, ended, history, lingering);
        this.nodes = new NodeLiveness(clock, settings.nodeTimeout(), endings, lingering);
        this.dependencies = new DependencyCheck(jobs, ended);
        this.reservations = new AdvanceReservations(clock.getZone());
        this.pass = new PlacementPass(settings, execTokens, jobs, new Eligibility(dependencies,
                new CorrespondingTasks(jobs, ended, dependencies), reservations), nodes, endings,
                lingering, this::newId, reservations, partitions);
        this.mail = new JobMail(new ArrayMailFacts(jobs, ended, history), clock.instant());
        this.control = new JobControl(clock, jobs, endings, this::newId, dependencies::unknownTarget,
                settings.enableUserTop(), mail, reservations);
        this.nodeControl = new NodeControl(clock, jobs, nodes);
        this.runnerEvents = new RunnerEventDecisions(clock, jobs, endings, nodes, lingering);
    }

    /** First come, first served, nothing ended before: as the tests of placement use it. */
    public SchedulerCore(Clock clock, PlacementPolicy.Kind policy, Duration nodeTimeout,
            BiFunction<Long, Integer, String> execTokens) {
        this(clock, SchedulerSettings.defaults(nodeTimeout).withPolicy(policy), execTokens, JobHistory.NONE);
    }

    /** For the equivalence test: every pass reads every pending job, as before {@link PassCandidates}. */
    void readQueueInFull() {
        pass.readQueueInFull();
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
            NodeMessages.afterRestart(j, execTokens, settings.nodeTimeout()).forEach(d::send);
        }
        endings.cancelling.recover(unfinished);
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

    /**
     * The users' fair-share points from now on ({@link FairShare}), worked out off the lock every
     * --priority-calc-period: the next pass and forecast order by them.
     */
    public void fairShare(FairShare shares) {
        pass.fairShare(shares);
    }

    /** One placement pass: starts what may start and fits, and records why the rest wait. */
    public Decisions schedule() {
        return pass.run(clock.instant());
    }

    /**
     * The reason a job admitted now would get from the next pass, as far as the last pass tells: behind a
     * blocked queue a newcomer waits too. Admitting it with that reason spares a relabelling write and event
     * per job when jobs arrive faster than they can start; the next pass corrects it either way. A held job waits
     * for its release whatever the queue: it is admitted JobHeldUser or JobHeldAdmin, so that its first event says
     * so, as squeue does.
     */
    public String reasonForNewJob(JobSpec spec) {
        String held = Eligibility.holdReason(spec.hold());
        return held != null ? held : pass.reasonForNewJob();
    }

    /**
     * Whether the last pass left a job that could run waiting for room (or behind one that does). Then what this
     * scheduler sends can wait a few milliseconds to share messages: those jobs wait far longer anyway, and the
     * messages saved are what lets more of them start per second.
     */
    public boolean backlogged() {
        return pass.backlogged();
    }

    /** The pending jobs the last pass's policy read (sdiag's depth). */
    public int lastPassDepth() {
        return pass.lastDepth();
    }

    /** Records pending now (an array's record holding tasks counts once). */
    public int pendingCount() {
        return jobs.pending().size();
    }

    /** Records holding nodes now (RUNNING, COMPLETING, SUSPENDED). */
    public int holdingCount() {
        return jobs.active().size();
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
        return control.cancel(new ControlRequest.CancelJob(jobId));
    }

    /** What a node reports of its attempts: heartbeats, launches, ends, releases and failures to launch. */
    public Decisions onRunnerEvent(RunnerEvent event) {
        return runnerEvents.on(event);
    }

    /** The slots held for kills not yet confirmed, for the views; see {@link KillHold}. */
    public List<KillHold> killHolds() {
        return lingering.holds();
    }

    /** The node-timeout reconciler: nodes silent too long go DOWN and their jobs fail or requeue. */
    public Decisions tick() {
        return nodes.tick(jobs);
    }

    /** Why the job could never run on the nodes known so far, or empty; see {@link NodeLiveness#neverFits}. */
    public Optional<JobSpecValidator.Problem> neverFits(JobSpec spec) {
        return nodes.neverFits(spec).map(Refusal::problem);
    }

    /**
     * What a start forecast plans from, as things stand: cheap enough to take under the scheduler's lock (a plain
     * queue is read only as deep as the plan goes, {@link StartForecast#candidates}), and planned after, off it, by
     * {@link StartForecast#starts} or {@link StartForecast#trial}; nothing in it changes with the core.
     */
    public StartForecast startForecast() {
        Instant now = clock.instant();
        return planner(now, StartForecast.candidates(jobs, now, settings.backfillDepth(), pass.fairShare()));
    }

    /** When each pending job is expected to start, and where, planned on the caller's thread: {@link StartForecast}. */
    public List<StartForecast.Start> forecast() {
        return startForecast().starts();
    }

    /**
     * sbatch --test-only: when and where a job submitted now would be expected to start, under the id it would get
     * were nothing else submitted first; nothing is stored ({@link StartForecast#trial}).
     */
    public StartForecast.Trial forecast(JobSpec trial) {
        return startForecast().trial(trial);
    }

    /** For the equivalence test: a forecast planned from every pending job, as before {@link #startForecast}. */
    StartForecast startForecastOfAllPending() {
        return planner(clock.instant(), List.copyOf(jobs.pending()));
    }

    private StartForecast planner(Instant now, List<JobRecord> pending) {
        return new StartForecast(nodes.freeResources(jobs).reservedBy(reservations.nodes(), now)
                .fencedBy(partitions.fence()), pass.releases(now),
                now, settings.backfillResolution(), settings.backfillWindow(),
                settings.policy() == PlacementPolicy.Kind.FCFS, settings.backfillDepth(), pending, nextId,
                pass.fairShare());
    }

    /**
     * Why a valid submission is refused: the known nodes could never hold it ({@link #neverFits}), or its dependency
     * names a job that does not exist ({@link #dependencyProblem}), or it could not end by its deadline
     * ({@link Deadlines#refusal}), or its reservation is not there or not its user's, or its partition is not there
     * or takes no jobs; empty when it may be stored.
     */
    public Optional<Refusal> refusal(JobSpec spec) {
        return partitions.refusal(spec).or(() -> nodes.neverFits(spec)).or(() -> dependencyProblem(spec)
                .map(p -> new Refusal(RejectionCode.UNKNOWN_DEPENDENCY, p)))
                .or(() -> Deadlines.refusal(spec, clock.instant())).or(() -> reservations.refusal(spec));
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

    /** The mails a decision just made calls for (--mail-type), to be sent once it is stored; see {@link JobMail}. */
    public List<JobMail.Notice> mailFor(Decisions d) {
        return mail.forChanges(d.changes());
    }

    /** The time-limit mails due now for the running jobs, with the marks to store before they are sent. */
    public JobMail.TimeLimitMail timeLimitMail() {
        return mail.forTime(jobs.active(), id -> jobs.get(id) != null, clock.instant());
    }

    /** The time-limit shares stored as mailed for the unfinished jobs' latest attempts, read as the head starts. */
    public void recoverTimeLimitMail(Collection<JobMail.SharesMailed> stored) {
        mail.recover(stored);
    }

    public AdvanceReservations reservations() {
        return reservations;
    }

    /** Holds the pending jobs of reservations gone, these among them, as slurmctld does ({@link GoneReservations}). */
    public Decisions holdJobsOfGoneReservations(Collection<AdvanceReservation> gone) {
        return GoneReservations.holdTheirJobs(jobs, reservations, gone, clock.instant());
    }

    /** A reservation request judged against the known nodes and the jobs holding nodes now; nothing applied yet. */
    public AdvanceReservations.Outcome judge(ReservationRequest request) {
        return reservations.judge(request, nodes.records(), jobs.active(), jobs.pending(), clock.instant());
    }

    public Partitions partitions() {
        return partitions;
    }

    /** A partition request judged against the known nodes and the jobs waiting or running; nothing applied yet. */
    public Partitions.Outcome judge(PartitionRequest request) {
        return partitions.judge(request, nodes.records(), jobs.active(), jobs.pending());
    }

    /** The spec a job submitted now is stored with: its partition and time limit as {@link Partitions#admitted}. */
    public JobSpec admissionSpec(JobSpec spec) {
        return partitions.admitted(spec);
    }

    public Optional<JobRecord> job(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public List<NodeRecord> nodes() {
        return nodes.records();
    }
}
