package dev.cadre.scheduler;

import dev.cadre.db.FairShareStore;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.FairShare;
import dev.cadre.scheduler.core.FairShareAccrual;
import dev.cadre.scheduler.core.FairShareSettings;
import dev.cadre.scheduler.core.SchedulerCore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges users' usage and works out their fair-share points every --priority-calc-period, as Slurm's decay thread
 * does, on a thread of its own: reading the attempts of the period happens off the scheduler's lock, which is taken
 * only to hand the core the new points. The first charge, at the start, carries on from the stored mark, so that a
 * restarted head charges what ran while it was down; a store that has none starts counting then.
 */
final class FairShareTicker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FairShareTicker.class);

    private final JobStore jobs;
    private final SchedulerCore core;
    private final Clock clock;
    private final FairShareSettings settings;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-fair-share");
        t.setDaemon(true);
        return t;
    });

    FairShareTicker(JobStore jobs, SchedulerCore core, Clock clock, FairShareSettings settings) {
        this.jobs = jobs;
        this.core = core;
        this.clock = clock;
        this.settings = settings;
    }

    FairShareTicker start() {
        long period = settings.calcPeriod().toMillis();
        thread.scheduleWithFixedDelay(this::chargeLogged, 0, period, TimeUnit.MILLISECONDS);
        return this;
    }

    private void chargeLogged() {
        try {
            charge();
        } catch (RuntimeException e) {
            // A busy database: the next period charges this one's window too, as the mark stayed where it was.
            LOG.warn("charging users' fair-share usage failed; trying again in {} s",
                    settings.calcPeriod().toSeconds(), e);
        }
    }

    /** One period: usage charged up to now and stored, then the core given the points it makes. */
    FairShare charge() {
        Instant now = clock.instant();
        FairShareStore store = jobs.fairShare();
        FairShareStore.Charged stored = store.read();
        Instant from = stored.chargedUntil() == null || stored.chargedUntil().isAfter(now) ? now
                : stored.chargedUntil();
        Map<String, Double> charges = from.isBefore(now) ? store.cpuSeconds(from, now) : Map.of();
        Map<String, Double> usage = FairShareAccrual.charge(stored.usage(), from, now, settings.halfLife(), charges,
                store.queuedUsers());
        jobs.saveFairShare(new FairShareStore.Charged(now, settings.weight(), settings.halfLife(), usage));
        FairShare shares = new FairShare(settings.weight(), usage);
        synchronized (core) {
            core.fairShare(shares);
        }
        return shares;
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
    }
}
