package dev.cadre.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Decides how long a sender holds back the first item of its next message so that more can join it. Each durable
 * message costs the broker a journal record, a delivery and a hand-off between threads, and the receiver a
 * transaction, whatever it holds; on two cores that, not the waiting, bounds how many jobs a second get through.
 * Items that arrive a job apart on a busy node seldom find another waiting, so without a pause each went alone.
 *
 * <p>The pause happens only under load: while the mean gap between items (an average that forgets quickly) is
 * below the busy gap. A single pause as long as a few busy gaps ends it, so an idle sender sends the first item
 * of a new burst at once and the latency of a lone job is unchanged. Thread-safe.
 */
public final class SendLinger {
    /** How much of each new gap the mean takes in. */
    private static final double WEIGHT = 1.0 / 8;

    private final long lingerNanos;
    private final long busyGapNanos;
    /** A longer gap counts as this long, so that one quiet spell is forgotten as quickly as it is noticed. */
    private final long gapCapNanos;
    private long lastArrival;
    private boolean seen;
    private double meanGapNanos;

    /**
     * @param linger the longest an item is held back for others
     * @param busyGap the mean gap between items below which the sender is busy and lingers
     */
    public SendLinger(Duration linger, Duration busyGap) {
        if (linger.isNegative() || busyGap.isNegative() || busyGap.isZero()) {
            throw new IllegalArgumentException("linger must be at least 0 and busyGap above 0");
        }
        this.lingerNanos = linger.toNanos();
        this.busyGapNanos = busyGap.toNanos();
        this.gapCapNanos = 8 * busyGapNanos;
        this.meanGapNanos = gapCapNanos;
    }

    /** What Cadre's senders use: at most 3 ms, while items come less than 2.5 ms apart on average. */
    public static SendLinger underLoad() {
        return new SendLinger(Duration.ofMillis(3), Duration.ofNanos(2_500_000));
    }

    /** Notes that an item was handed over at nanoTime. */
    public synchronized void arrived(long nanoTime) {
        if (seen) {
            long gap = Math.min(Math.max(0, nanoTime - lastArrival), gapCapNanos);
            meanGapNanos += (gap - meanGapNanos) * WEIGHT;
        }
        seen = true;
        lastArrival = nanoTime;
    }

    /** How long to wait for more items before sending: the linger while busy, otherwise 0. */
    public synchronized long waitNanos() {
        return meanGapNanos < busyGapNanos ? lingerNanos : 0;
    }

    /**
     * Moves items from the queue into the batch while the batch has room and {@link #waitNanos()} has not passed
     * since the call; then whatever else is already queued, as room allows. Items are weighed with weight (a batch
     * of messages counts its messages). An interrupt ends the wait, not the gathering: what is in the batch is the
     * caller's to send, and the thread stays interrupted.
     *
     * @return the weight added
     */
    public <T> int gather(BlockingQueue<T> queue, List<T> batch, ToIntFunction<? super T> weight, int room) {
        return gather(queue, batch, weight, room, waitNanos());
    }

    /** As {@link #gather(BlockingQueue, List, ToIntFunction, int)}, waiting up to waitNanos for more. */
    public static <T> int gather(BlockingQueue<T> queue, List<T> batch, ToIntFunction<? super T> weight, int room,
            long waitNanos) {
        int added = 0;
        long deadline = System.nanoTime() + waitNanos;
        while (added < room) {
            long left = deadline - System.nanoTime();
            T next;
            try {
                next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                deadline = System.nanoTime();
                continue;
            }
            if (next == null) {
                break;
            }
            batch.add(next);
            added += weight.applyAsInt(next);
        }
        return added;
    }
}
