package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batches handed on from many threads, on a real thread pool. */
class DrainingQueueTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    /** Holds a handler until the test lets it go. */
    private static void awaitUninterrupted(CountDownLatch release) {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void everyItemFromManyThreadsIsHandledOnceInItsThreadsOrderOneBatchAtATime() throws Exception {
        int threads = 4;
        int each = 5_000;
        List<List<int[]>> batches = new CopyOnWriteArrayList<>();
        AtomicBoolean inHandler = new AtomicBoolean();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        DrainingQueue<int[]> queue = new DrainingQueue<>(pool, 64, batch -> {
            if (!inHandler.compareAndSet(false, true)) {
                overlaps.add("two batches at once");
            }
            batches.add(List.copyOf(batch));
            inHandler.set(false);
        });
        ExecutorService adders = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> added = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                added.add(adders.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        queue.add(new int[] {thread, i});
                    }
                }));
            }
            for (Future<?> f : added) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            adders.shutdownNow();
        }
        JobSupervisorIntegrationTest.await("every item handled", Duration.ofSeconds(30),
                () -> batches.stream().mapToInt(List::size).sum() == threads * each);
        assertEquals(List.of(), overlaps);
        int[] next = new int[threads];
        for (List<int[]> batch : batches) {
            assertTrue(batch.size() >= 1 && batch.size() <= 64, "a batch of " + batch.size());
            for (int[] item : batch) {
                assertEquals(next[item[0]]++, item[1], "thread " + item[0] + "'s items in the order it added them");
            }
        }
        for (int t = 0; t < threads; t++) {
            assertEquals(each, next[t]);
        }
    }

    /** A queue whose first batch, of item 0, is held while more items are added. */
    private final class HeldFirstBatch {
        final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        private final CountDownLatch firstStarted = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        final DrainingQueue<Integer> queue;

        /** @param then runs after each batch is recorded (and the first let go) */
        HeldFirstBatch(int maxBatch, Consumer<List<Integer>> then) {
            queue = new DrainingQueue<>(pool, maxBatch, batch -> {
                batches.add(List.copyOf(batch));
                if (batch.get(0) == 0) {
                    firstStarted.countDown();
                    awaitUninterrupted(release);
                }
                then.accept(batch);
            });
        }

        void addWhileTheFirstIsHeld(int last) throws InterruptedException {
            queue.add(0);
            assertTrue(firstStarted.await(30, TimeUnit.SECONDS));
            for (int i = 1; i <= last; i++) {
                queue.add(i);
            }
            release.countDown();
        }
    }

    @Test
    void whatArrivesWhileABatchIsHandledIsHandedOnAsOneBatch() throws Exception {
        HeldFirstBatch held = new HeldFirstBatch(100, batch -> { });
        held.addWhileTheFirstIsHeld(5);
        JobSupervisorIntegrationTest.await("both batches", Duration.ofSeconds(30), () -> held.batches.size() == 2);
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4, 5)), held.batches);
    }

    @Test
    void aBatchLargerThanTheLimitIsSplitAndAFailingBatchStopsNothingAfterIt() throws Exception {
        HeldFirstBatch held = new HeldFirstBatch(3, batch -> {
            if (batch.contains(2)) {
                throw new IllegalStateException("this batch cannot be stored");
            }
        });
        held.addWhileTheFirstIsHeld(7);
        JobSupervisorIntegrationTest.await("every batch", Duration.ofSeconds(30),
                () -> held.batches.stream().mapToInt(List::size).sum() == 8);
        assertEquals(List.of(List.of(0), List.of(1, 2, 3), List.of(4, 5, 6), List.of(7)), held.batches);
        held.queue.add(8);
        JobSupervisorIntegrationTest.await("an item after the failure", Duration.ofSeconds(30),
                () -> held.batches.size() == 5);
    }

    @Test
    void anItemTheExecutorRefusesIsRefusedToItsAdder() {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        DrainingQueue<Integer> queue = new DrainingQueue<>(pool, 10, handled::addAll);
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> queue.add(1));
        assertThrows(RejectedExecutionException.class, () -> queue.add(2), "the queue is not left stuck as draining");
        assertFalse(handled.contains(1));
        assertThrows(IllegalArgumentException.class, () -> new DrainingQueue<Integer>(pool, 0, b -> { }));
    }
}
