package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.FcfsPolicy;
import dev.cadre.scheduler.core.SchedulerCore;
import jakarta.jms.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the core to the broker and SQLite. Three threads: submission intake, runner-event intake and the
 * scheduling loop. They share the core under one lock, and every decision is committed to SQLite before
 * anything it causes is sent; the {@link Dispatcher}'s thread sends it, in commit order.
 */
public final class SchedulerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

    /**
     * @param onFatal called when state can no longer be persisted; the process should exit and restart
     *        from what SQLite holds
     */
    public record Settings(Duration nodeTimeout, Duration tickInterval, int batchSize, String execSecret,
            Consumer<Throwable> onFatal) {
    }

    private final Connection connection;
    private final JobStore jobs;
    private final NodeStore nodes;
    private final Settings settings;
    private final SchedulerCore core;
    private final Semaphore wake = new Semaphore(0);
    private final Dispatcher dispatcher;
    private final SubmissionIntake submissions;
    private final RunnerEventIntake runnerEvents;
    private final Thread loop;
    private volatile boolean running = true;

    public SchedulerService(Connection connection, JobStore jobs, NodeStore nodes, Clock clock, Settings settings)
            throws Exception {
        this.connection = connection;
        this.jobs = jobs;
        this.nodes = nodes;
        this.settings = settings;
        this.core = new SchedulerCore(clock, new FcfsPolicy(), settings.nodeTimeout(),
                new ExecTokens(settings.execSecret()));
        this.dispatcher = new Dispatcher(connection, this::fatal);
        this.submissions = new SubmissionIntake(connection, this, clock, settings.batchSize());
        this.runnerEvents = new RunnerEventIntake(connection, this, settings.batchSize());
        this.loop = new Thread(this::runLoop, "cadre-scheduler-loop");
    }

    public SchedulerService start() {
        apply(() -> {
            Decisions d = core.recover(jobs.unfinished(), nodes.list());
            // Events saved before a crash but perhaps never published; subscribers get them (again).
            jobs.outbox().unpublishedEvents().forEach(d::republish);
            return d;
        });
        submissions.start();
        runnerEvents.start();
        loop.start();
        LOG.info("scheduler started");
        return this;
    }

    /** Runs a core decision under the lock, persists it, then sends what it caused. */
    void apply(Supplier<Decisions> decide) {
        try {
            synchronized (core) {
                Decisions d = decide.get();
                if (d.isEmpty()) {
                    return;
                }
                jobs.save(d.changes());
                d.nodes().forEach(nodes::upsert);
                long written = jobs.outbox().lastEventSeq();
                dispatcher.send(d.messages(), d.events(), () -> jobs.outbox().published(written));
                if (!d.changes().isEmpty()) {
                    wake.release();
                }
            }
        } catch (Exception | Error e) {
            fatal(e);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /**
     * Stores new jobs, adds them to the core and publishes their creation. Under the core's lock, so that the
     * event log is written and published in one order and the outbox mark stays exact. A storage failure is
     * thrown to the caller, whose batch is then redelivered.
     */
    List<JobStore.Admission> admit(List<JobStore.NewJob> newJobs) {
        synchronized (core) {
            String reason = core.reasonForNewJob();
            List<JobStore.Admission> admitted = jobs.admit(newJobs.stream().map(j -> j.initialReason().equals(reason)
                    ? j : new JobStore.NewJob(j.submissionKey(), j.spec(), j.submitTime(), reason)).toList());
            apply(() -> {
                Decisions d = new Decisions();
                for (JobStore.Admission a : admitted) {
                    if (!a.duplicate()) {
                        core.admitted(a.job());
                        d.created(a.job());
                    }
                }
                return d;
            });
            wake.release();
            return admitted;
        }
    }

    SchedulerCore.CancelOutcome cancel(long jobId) {
        SchedulerCore.CancelOutcome[] out = new SchedulerCore.CancelOutcome[1];
        apply(() -> {
            out[0] = core.cancel(jobId);
            return out[0].decisions();
        });
        return out[0];
    }

    SchedulerCore core() {
        return core;
    }

    private void runLoop() {
        while (running) {
            try {
                wake.tryAcquire(settings.tickInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                if (!running) {
                    break;
                }
                apply(() -> {
                    Decisions d = core.tick();
                    d.addAll(core.schedule());
                    return d;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("scheduling pass failed", e);
            }
        }
    }

    void fatal(Throwable e) {
        if (running) {
            LOG.error("scheduler cannot persist its decisions; stopping", e);
            settings.onFatal().accept(e);
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        wake.release();
        submissions.close();
        runnerEvents.close();
        loop.join(5_000);
        dispatcher.close();
        synchronized (core) {
            jobs.outbox().flush();
        }
    }
}
