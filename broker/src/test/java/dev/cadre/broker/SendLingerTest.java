package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class SendLingerTest {
    private static final long MS = 1_000_000;
    private final SendLinger linger = new SendLinger(Duration.ofMillis(3), Duration.ofNanos(2_500_000));

    /** Items handed over every gap from start on, count of them; returns the time after the last. */
    private long arrive(long start, long gap, int count) {
        long t = start;
        for (int i = 0; i < count; i++) {
            linger.arrived(t);
            t += gap;
        }
        return t - gap;
    }

    @Test
    void aSenderThatHasSeenNothingOrOneItemSendsAtOnce() {
        assertEquals(0, linger.waitNanos());
        linger.arrived(0);
        assertEquals(0, linger.waitNanos());
    }

    @Test
    void itemsComingFasterThanTheBusyGapAreHeldBackForTheLinger() {
        arrive(0, MS, 40);
        assertEquals(3 * MS, linger.waitNanos());
    }

    @Test
    void itemsComingSlowerThanTheBusyGapAreSentAtOnce() {
        arrive(0, 5 * MS, 200);
        assertEquals(0, linger.waitNanos());
    }

    @Test
    void aFewQuickItemsAfterAQuietSpellDoNotMakeALoneJobWait() {
        long t = arrive(0, 30 * MS, 10);
        // A lone job: its start and its end a millisecond apart, then its neighbour's.
        arrive(t + MS, MS, 3);
        assertEquals(0, linger.waitNanos());
    }

    @Test
    void oneQuietSpellEndsTheLingering() {
        long t = arrive(0, MS, 100);
        assertEquals(3 * MS, linger.waitNanos());
        linger.arrived(t + Duration.ofSeconds(10).toNanos());
        assertEquals(0, linger.waitNanos());
    }

    @Test
    void aClockThatSeemsToGoBackCountsAsNoGap() {
        arrive(0, MS, 40);
        linger.arrived(-Duration.ofSeconds(5).toNanos());
        assertEquals(3 * MS, linger.waitNanos());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SendLinger(Duration.ofMillis(-1), Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> new SendLinger(Duration.ofMillis(1), Duration.ZERO));
    }

    @Test
    void gatherWithoutWaitTakesWhatIsQueuedAsRoomAllows() {
        BlockingQueue<Integer> queue = new LinkedBlockingQueue<>(List.of(1, 2, 3, 4, 5));
        List<Integer> batch = new ArrayList<>();
        assertEquals(3, SendLinger.gather(queue, batch, i -> 1, 3, 0));
        assertEquals(List.of(1, 2, 3), batch);
        assertEquals(2, queue.size());
    }

    @Test
    void gatherCountsWeightAndStopsOnceTheRoomIsUsed() {
        BlockingQueue<Integer> queue = new LinkedBlockingQueue<>(List.of(4, 4, 4));
        List<Integer> batch = new ArrayList<>();
        assertEquals(8, SendLinger.gather(queue, batch, i -> i, 5, 0));
        assertEquals(List.of(4, 4), batch);
    }

    @Test
    void gatherWaitsForItemsThatComeWithinTheWait() throws Exception {
        BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        List<Integer> batch = new ArrayList<>();
        Thread gathering = Thread.currentThread();
        // The item comes once the gathering thread is waiting for it, not before.
        Thread late = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (gathering.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            queue.add(7);
        });
        late.start();
        // Room for one: the call returns as soon as the late item is in, long before the wait would end.
        assertEquals(1, SendLinger.gather(queue, batch, i -> 1, 1, Duration.ofSeconds(30).toNanos()));
        late.join();
        assertEquals(List.of(7), batch);
    }

    @Test
    void anInterruptEndsTheWaitAndKeepsWhatWasGathered() {
        BlockingQueue<Integer> queue = new LinkedBlockingQueue<>(List.of(1));
        List<Integer> batch = new ArrayList<>();
        Thread.currentThread().interrupt();
        long started = System.nanoTime();
        try {
            assertEquals(1, SendLinger.gather(queue, batch, i -> 1, 10, Duration.ofSeconds(30).toNanos()));
            assertEquals(List.of(1), batch);
            assertTrue(Thread.currentThread().isInterrupted());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos(), "waited out the linger");
        } finally {
            Thread.interrupted();
        }
    }
}
