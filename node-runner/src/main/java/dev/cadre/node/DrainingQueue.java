package dev.cadre.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Items handed over from any thread, handled in batches on an executor: whatever arrives while a batch is
 * handled forms the next one. One batch is handled at a time, items in the order they were added. It exists so
 * that work with a fixed cost per call (a SQLite commit) is paid once for items that come together.
 */
final class DrainingQueue<T> {
    private static final Logger LOG = LoggerFactory.getLogger(DrainingQueue.class);
    private final Queue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor executor;
    private final int maxBatch;
    private final Consumer<List<T>> handler;

    /** @param handler handles a batch; what it throws is logged, and the next batch is handled all the same */
    DrainingQueue(Executor executor, int maxBatch, Consumer<List<T>> handler) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        this.executor = executor;
        this.maxBatch = maxBatch;
        this.handler = handler;
    }

    /** @throws RejectedExecutionException when the executor takes no more work; the item is then dropped */
    void add(T item) {
        items.add(item);
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                items.remove(item);
                draining.set(false);
                throw e;
            }
        }
    }

    private void drain() {
        // The flag is cleared before the last look, so an item added after that look starts a drain of its own.
        do {
            List<T> batch = new ArrayList<>();
            for (T item = items.poll(); item != null; item = items.poll()) {
                batch.add(item);
                if (batch.size() == maxBatch) {
                    handle(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                handle(batch);
            }
            draining.set(false);
        } while (!items.isEmpty() && draining.compareAndSet(false, true));
    }

    private void handle(List<T> batch) {
        try {
            handler.accept(batch);
        } catch (RuntimeException e) {
            LOG.error("a batch of {} could not be handled", batch.size(), e);
        }
    }
}
