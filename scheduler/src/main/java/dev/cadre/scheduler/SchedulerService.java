package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.db.TimeLimitMailed;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.DiagnosticsSource;
import dev.cadre.protocol.JobEventListener;
import dev.cadre.protocol.JobSpec;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.SchedulerSettings;
import dev.cadre.scheduler.core.SchedulerCore;
import dev.cadre.scheduler.core.SchedulerStatistics;
import jakarta.jms.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the core to the broker and SQLite. Three threads: submission intake, runner-event intake and the
 * scheduling loop. They share the core under one lock, and every decision is committed to SQLite before
 * anything it causes is sent; the {@link Dispatcher}'s thread sends it, in commit order. Start forecasts are
 * taken under the lock and planned on a fourth thread, off it ({@link ForecastRequests}).
 */
public final class SchedulerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

    /**
     * @param onFatal called when state can no longer be persisted; the process should exit and restart
     *        from what SQLite holds
     */
    public record Settings(SchedulerSettings scheduling, Duration tickInterval, int batchSize, String execSecret,
            Consumer<Throwable> onFatal) {
        /** EASY backfill and the other defaults of {@link SchedulerSettings#defaults}. */
        public Settings(Duration nodeTimeout, Duration tickInterval, int batchSize, String execSecret,
                Consumer<Throwable> onFatal) {
            this(SchedulerSettings.defaults(nodeTimeout), tickInterval, batchSize, execSecret, onFatal);
        }
    }

    private final Connection connection;
    private final JobStore jobs;
    private final NodeStore nodes;
    private final Settings settings;
    private final SchedulerCore core;
    private final StandingServices services;
    private final ReservationBook reservations;
    private final PartitionBook partitions;
    private final Dispatcher dispatcher;
    private final DecisionWriter writer;
    private final ControlRequests controls;
    private final ExecGrantRequests grants;
    private final ForecastRequests forecasts;
    private final SubmissionIntake submissions;
    private final RunnerEventIntake runnerEvents;
    private final SchedulingLoop loop;
    private final SubmissionScreening screening;
    private final SchedulerStatistics statistics;
    private final MailNotices mail = new MailNotices();
    private final FairShareTicker fairShare;
    private volatile boolean running = true;

    public SchedulerService(Connection connection, JobStore jobs, NodeStore nodes, ServiceStore services,
            ReservationStore reservations, PartitionStore partitions, Clock clock, Settings settings)
            throws Exception {
        this.connection = connection;
        this.jobs = jobs;
        this.nodes = nodes;
        this.settings = settings;
        ExecTokens tokens = new ExecTokens(settings.execSecret());
        this.core = new SchedulerCore(clock, settings.scheduling(), tokens, new StoredHistory(jobs));
        this.statistics = new SchedulerStatistics(clock);
        this.grants = new ExecGrantRequests(core, jobs, tokens);
        this.loop = new SchedulingLoop(settings.tickInterval(), () -> running, this::pass);
        this.screening = new SubmissionScreening(core, jobs);
        this.services = new StandingServices(services, clock);
        this.dispatcher = new Dispatcher(connection, settings.scheduling().nodeTimeout(), this::fatal);
        this.writer = new DecisionWriter(jobs, nodes, dispatcher, clock, () -> running);
        this.reservations = new ReservationBook(reservations, core, clock);
        this.partitions = new PartitionBook(partitions, core);
        this.controls = new ControlRequests(core, this.services, new RepeatedRequests(jobs.answeredRequests(), clock),
                this.reservations, this.partitions);
        this.forecasts = new ForecastRequests(connection, core, controls);
        this.submissions = new SubmissionIntake(connection, this, clock, settings.batchSize());
        this.runnerEvents = new RunnerEventIntake(connection, this, settings.batchSize());
        this.fairShare = new FairShareTicker(jobs, core, clock, settings.scheduling().fairShare());
    }

    /** Hears every event once published; added before start, it hears the republished ones too. */
    public SchedulerService addEventListener(JobEventListener listener) {
        dispatcher.addListener(listener);
        return this;
    }

    /**
     * Sends the jobs' --mail-type mails through this sender, each once the change it tells of is stored. Set before
     * start; closed with the service.
     */
    public SchedulerService sendMail(MailSender sender) {
        mail.sendThrough(sender);
        return this;
    }

    public SchedulerService start() {
        apply(() -> StartupRecovery.recover(core, jobs, nodes, reservations, partitions));
        fairShare.start();
        forecasts.start();
        submissions.start();
        runnerEvents.start();
        loop.start();
        LOG.info("scheduler started");
        return this;
    }

    /**
     * Runs a core decision under the lock, persists it, then sends what it caused. A decision that throws stores
     * nothing and is the caller's to answer or drop: a bad request or event must not stop the scheduler. Failing
     * to persist or send is fatal: the process is to restart from what SQLite holds.
     */
    void apply(Supplier<Decisions> decide) {
        synchronized (core) {
            Decisions d = decide.get();
            try {
                // Failures counted for the instance ends just decided are stored with those ends, and a services
                // round's records with its cancels.
                if (writer.write(d, services.toStore(core.takeEndedInstances(), core.nodes()), core.killHolds())) {
                    loop.wake();
                }
                statistics.decided(d.changes());
            } catch (Exception | Error e) {
                fatal(e);
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            mail.send(() -> core.mailFor(d));
        }
    }

    /**
     * Stores new jobs, adds them to the core and publishes their creation. Under the core's lock, so that the
     * event log is written and published in one order and the outbox mark stays exact. A storage failure is
     * thrown to the caller, whose batch is then redelivered. Stores every job, even one the cluster could never
     * hold; {@link #admitOrReject} refuses those.
     */
    List<JobStore.Admission> admit(List<JobStore.NewJob> newJobs) {
        synchronized (core) {
            List<JobStore.Admission> admitted = jobs.admit(newJobs.stream().map(j -> {
                String reason = core.reasonForNewJob(j.spec());
                JobSpec spec = core.admissionSpec(j.spec());
                return j.initialReason().equals(reason) && spec == j.spec() ? j
                        : new JobStore.NewJob(j.submissionKey(), spec, j.submitTime(), reason);
            }).toList());
            int[] fresh = {0};
            apply(() -> {
                Decisions d = new Decisions();
                for (JobStore.Admission a : admitted) {
                    if (!a.duplicate()) {
                        core.admitted(a.job());
                        d.created(a.job());
                        fresh[0]++;
                    }
                }
                return d;
            });
            statistics.submitted(fresh[0]);
            loop.wake();
            return admitted;
        }
    }

    /**
     * Like {@link #admit}, but a job the known nodes could never hold, or whose dependency names no job, is refused
     * instead of stored, unless its submission key already made a job: a resubmission is answered with that job,
     * whatever the cluster has become since. Outcomes are in the order of the jobs given.
     */
    List<SubmissionScreening.AdmitOutcome> admitOrReject(List<JobStore.NewJob> newJobs) {
        synchronized (core) {
            return screening.admitOrReject(newJobs, this::admit);
        }
    }

    ClientReply control(ClientRequest request) {
        return control(request, null);
    }

    /**
     * The answer to scancel, scontrol or a service request; a repeat's is its first (docs/protocol.md 7.7). A
     * forecast-starts is planned on this thread, off the lock; {@link #forecastLater} plans it on the forecasts' own.
     */
    ClientReply control(ClientRequest request, String stamp) {
        if (request instanceof ClientRequest.ForecastStarts f) {
            return forecasts.answer(f);
        }
        if (request instanceof ClientRequest.ExecGrant g) {
            return grants.answer(g);
        }
        ClientReply[] out = new ClientReply[1];
        apply(() -> {
            ControlRequests.Done done = controls.carryOut(request, stamp);
            out[0] = done.reply();
            if (done.wake()) {
                loop.wake();
            }
            return done.decisions();
        });
        return out[0];
    }

    /**
     * squeue --start or sbatch --test-only from cadre.submit: taken under the lock, then planned and answered to the
     * address on the forecasts' thread ({@link ForecastRequests#answerLater}), or the answer to send now.
     */
    Optional<ClientReply> forecastLater(ClientRequest.ForecastStarts request, ReplySender.Address to) {
        return forecasts.answerLater(request, to);
    }

    /** For tests: where forecasts are planned. */
    ForecastRequests forecasts() {
        return forecasts;
    }

    /**
     * One round of the services' reconciler: its cancels and service records (launched counts included) are
     * stored together, and only then are the new instances admitted, under keys that make a repeat harmless.
     */
    void reconcileServices() {
        synchronized (core) {
            apply(() -> services.reconcile(core));
            List<JobStore.NewJob> starts = services.takeStarts();
            if (!starts.isEmpty()) {
                admit(starts);
            }
        }
    }

    SchedulerCore core() {
        return core;
    }

    /** For tests: charges usage now, as each --priority-calc-period does. */
    void chargeFairShare() {
        fairShare.charge();
    }

    /** What the history pruner tells of its deletes, so that dependencies are judged on what the store still holds. */
    public HistoryPruner.Memory historyMemory() {
        return new CoreHistoryMemory(core);
    }

    /** One pass of the scheduling loop: nodes silent too long, ended reservations, placement, the services' round. */
    private void pass() {
        long started = System.nanoTime();
        apply(() -> {
            Decisions d = core.tick();
            d.addAll(reservations.expire());
            d.addAll(core.schedule());
            return d;
        });
        synchronized (core) {
            mail.sendTimeLimitMail(core::timeLimitMail, marks -> jobs.saveTimeLimitMailed(marks.stream()
                    .map(m -> new TimeLimitMailed(m.jobId(), m.attempt(), m.shares())).toList()));
            statistics.passed(System.nanoTime() - started, core.lastPassDepth(), core.pendingCount(),
                    core.holdingCount());
        }
        // Instances ended by the decisions above are counted, and replacements admitted, at once.
        reconcileServices();
        dispatcher.lingerWhileBacklogged(core.backlogged());
    }

    /** What sdiag and /metrics read (GET /api/diagnostics). */
    public DiagnosticsSource diagnostics() {
        return new SchedulerDiagnostics(statistics);
    }

    /** Where the intakes count the messages they handle. */
    SchedulerStatistics statistics() {
        return statistics;
    }

    void fatal(Throwable e) {
        if (running) {
            LOG.error("scheduler cannot persist its decisions; stopping", e);
            settings.onFatal().accept(e);
        }
    }

    @Override
    public void close() throws Exception {
        // The intakes stop first: a decision the stopping scheduler then fails to store is already in the core's
        // memory, and an intake that handled its batch again would decide nothing and acknowledge it unstored.
        submissions.stop();
        runnerEvents.stop();
        running = false;
        loop.wake();
        submissions.close();
        runnerEvents.close();
        loop.join(5_000);
        fairShare.close();
        // After the intakes: no forecast is asked for any more; one being planned is finished and answered.
        forecasts.close();
        dispatcher.close();
        mail.close();
        synchronized (core) {
            jobs.outbox().flush();
        }
    }
}
