package dev.cadre.scheduler;

import dev.cadre.db.HistoryPruneStore;
import dev.cadre.scheduler.core.HistoryRetention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes ended jobs older than the history retention, on a thread of its own, off the scheduler's path: a pass
 * every interval, in batches of a few hundred jobs, each in its own short transaction, resting between them at
 * least twice as long as the last took, so that the scheduler's writes (which wait on SQLite's lock) get their turn.
 */
public final class HistoryPruner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryPruner.class);
    private static final long MIN_REST_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** @param firstAfter the first pass, after the start's own work */
    public record Settings(HistoryRetention retention, Duration firstAfter, Duration interval, int batchSize) {
        public static Settings of(HistoryRetention retention) {
            return new Settings(retention, Duration.ofMinutes(1), Duration.ofHours(1), 200);
        }
    }

    /** What one pass did. @param longestTransaction the longest a batch held the write lock */
    public record Pass(int deleted, int transactions, Duration longestTransaction, Duration took) {
    }

    /**
     * What remembers ended jobs besides the store: the scheduler, whose dependency checks must not find a job the
     * store has lost. Told before each delete transaction what it may delete, and after it what went.
     */
    public interface Memory {
        Memory NONE = new Memory() {
            @Override
            public void deleting(Set<Long> jobAndArrayIds) {
            }

            @Override
            public void deleted(Set<Long> jobIds, Set<Long> arrayJobIds) {
            }
        };

        /** The transaction about to start may delete these jobs, and the arrays they belong to. */
        void deleting(Set<Long> jobAndArrayIds);

        /** It is over (committed or not): these jobs were deleted, with every row of these arrays. */
        void deleted(Set<Long> jobIds, Set<Long> arrayJobIds);
    }

    private final HistoryPruneStore store;
    private final Clock clock;
    private final Settings settings;
    private final Memory memory;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-history-pruner");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;

    /** A pruner that tells no one: for a store no scheduler reads. */
    public HistoryPruner(HistoryPruneStore store, Clock clock, Settings settings) {
        this(store, clock, settings, Memory.NONE);
    }

    public HistoryPruner(HistoryPruneStore store, Clock clock, Settings settings, Memory memory) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.memory = memory;
    }

    /** Schedules the passes; does nothing when history is kept forever. */
    public HistoryPruner start() {
        if (!settings.retention().forever()) {
            thread.scheduleWithFixedDelay(this::passLogged, settings.firstAfter().toMillis(),
                    settings.interval().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("ended jobs are kept {}; older ones are pruned every {} min", settings.retention(),
                    settings.interval().toMinutes());
        }
        return this;
    }

    private void passLogged() {
        try {
            Pass p = pass();
            if (p.deleted() > 0) {
                LOG.info("pruned {} ended jobs older than {} in {} ms ({} transactions, the longest {} ms)",
                        p.deleted(), settings.retention(), p.took().toMillis(), p.transactions(),
                        p.longestTransaction().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A busy or full database: the next pass tries again; the scheduler reports its own failures.
            LOG.warn("pruning the job history failed; trying again in {} min", settings.interval().toMinutes(), e);
        }
    }

    /** One pass over every job that ended before the cutoff. */
    public Pass pass() throws InterruptedException {
        long started = System.nanoTime();
        Instant cutoff = settings.retention().cutoff(clock).orElse(null);
        int deleted = 0;
        int transactions = 0;
        long longest = 0;
        if (cutoff == null) {
            return new Pass(0, 0, Duration.ZERO, Duration.ZERO);
        }
        // Jobs admitted after this read are read inside the next delete, under the write lock; each delete reads
        // only those admitted since the one before, so that its transaction stays short on a busy head.
        // The nodes' history goes by the same cutoff, in one short transaction: it has a row per node transition.
        store.pruneNodeHistory(cutoff);
        HistoryPruneStore.Held atStart = store.held(0);
        Set<Long> named = HistoryRetention.named(atStart.dependencies());
        long[] seenUpTo = {atStart.highestId()};
        HistoryPruneStore.Position from = HistoryPruneStore.Position.START;
        while (from != null && running) {
            HistoryPruneStore.Page page = store.endedBefore(cutoff, from, settings.batchSize());
            List<HistoryRetention.Row> rows = page.rows().stream()
                    .map(r -> new HistoryRetention.Row(r.id(), r.arrayJobId(), r.state(), r.endTime())).toList();
            from = page.after();
            List<Long> candidates = HistoryRetention.prunable(cutoff, rows, named);
            if (candidates.isEmpty()) {
                continue;
            }
            Map<Long, Long> arrayOf = new HashMap<>();
            rows.stream().filter(r -> r.arrayJobId() != null).forEach(r -> arrayOf.put(r.id(), r.arrayJobId()));
            Set<Long> announced = new HashSet<>(candidates);
            candidates.stream().map(arrayOf::get).filter(Objects::nonNull).forEach(announced::add);
            // From here until the delete is over, the scheduler refuses new jobs naming these: the delete reads the
            // dependencies of jobs admitted before it, not of those admitted while it runs.
            memory.deleting(announced);
            Set<Long> chosen = new HashSet<>();
            boolean committed = false;
            long t0 = System.nanoTime();
            try {
                deleted += store.delete(seenUpTo[0], held -> {
                    // Dependencies of the jobs admitted since the last read hold for the rest of the pass.
                    named.addAll(HistoryRetention.named(held.dependencies()));
                    seenUpTo[0] = held.highestId();
                    Set<Long> keep = new HashSet<>(named);
                    keep.addAll(held.outbox());
                    List<Long> ids = HistoryRetention.prunable(cutoff, rows, keep);
                    chosen.clear();
                    chosen.addAll(ids);
                    return ids;
                });
                committed = true;
            } finally {
                Set<Long> gone = committed ? chosen : Set.of();
                memory.deleted(gone, gone.stream().map(arrayOf::get).filter(Objects::nonNull)
                        .collect(Collectors.toSet()));
            }
            long took = System.nanoTime() - t0;
            transactions++;
            longest = Math.max(longest, took);
            TimeUnit.NANOSECONDS.sleep(Math.max(MIN_REST_NANOS, 2 * took));
        }
        return new Pass(deleted, transactions, Duration.ofNanos(longest), Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
