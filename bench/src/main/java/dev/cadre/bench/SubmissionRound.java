package dev.cadre.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One client's submissions in one scenario: when each was sent, when its reply came, and the window that
 * bounds how many may be unanswered. Written by the sending thread, the reply listener and the send
 * completion callback; read once all are answered.
 */
final class SubmissionRound {
    private static final long ANSWERED = Long.MIN_VALUE;
    private final AtomicLongArray sentAt;
    private final long[] latencies;
    private int latencyCount;
    private final Semaphore window;
    private final CountDownLatch unanswered;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger sendFailures = new AtomicInteger();
    private final AtomicInteger strayReplies = new AtomicInteger();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    private volatile String firstProblem;
    private volatile long firstSendNanos;

    SubmissionRound(int jobs, int window) {
        this.sentAt = new AtomicLongArray(jobs);
        this.latencies = new long[jobs];
        this.window = new Semaphore(window);
        this.unanswered = new CountDownLatch(jobs);
    }

    int size() {
        return sentAt.length();
    }

    /** Blocks while the window is full; records the send time. */
    void beforeSend(int seq) throws InterruptedException {
        window.acquire();
        long now = System.nanoTime();
        if (seq == 0) {
            firstSendNanos = now;
        }
        sentAt.set(seq, now);
    }

    /** Called on the reply listener's thread: one session delivers one reply at a time. */
    void replied(int seq, long nowNanos, boolean acceptedReply, String problem) {
        if (seq < 0 || seq >= sentAt.length()) {
            strayReplies.incrementAndGet();
            return;
        }
        long sent = sentAt.getAndSet(seq, ANSWERED);
        if (sent == ANSWERED || sent == 0) {
            // A redelivered request is answered again; only its first answer counts.
            strayReplies.incrementAndGet();
            return;
        }
        latencies[latencyCount++] = nowNanos - sent;
        if (acceptedReply) {
            accepted.incrementAndGet();
        } else {
            rejected.incrementAndGet();
            noteProblem(problem);
        }
        answered(nowNanos);
    }

    /** The broker refused the message: no reply will come. */
    void sendFailed(int seq, Exception e) {
        if (seq < 0 || seq >= sentAt.length() || sentAt.getAndSet(seq, ANSWERED) == ANSWERED) {
            return;
        }
        sendFailures.incrementAndGet();
        noteProblem("send failed: " + e);
        answered(System.nanoTime());
    }

    private void answered(long nowNanos) {
        lastAnswerNanos.accumulateAndGet(nowNanos, Math::max);
        window.release();
        unanswered.countDown();
    }

    void noteProblem(String problem) {
        if (firstProblem == null) {
            firstProblem = problem;
        }
    }

    /** Waits for every answer, giving up when none has come for the stall time. */
    boolean awaitAnswers(long stallMillis) throws InterruptedException {
        long seen = unanswered.getCount();
        while (!unanswered.await(stallMillis, TimeUnit.MILLISECONDS)) {
            long now = unanswered.getCount();
            if (now == seen) {
                return false;
            }
            seen = now;
        }
        return true;
    }

    long outstanding() {
        return unanswered.getCount();
    }

    /** Only after {@link #awaitAnswers} returned true (the latch orders the listener's writes before this). */
    long[] latencies() {
        return java.util.Arrays.copyOf(latencies, latencyCount);
    }

    int accepted() {
        return accepted.get();
    }

    int rejected() {
        return rejected.get();
    }

    int sendFailures() {
        return sendFailures.get();
    }

    int strayReplies() {
        return strayReplies.get();
    }

    long firstSendNanos() {
        return firstSendNanos;
    }

    long lastAnswerNanos() {
        return lastAnswerNanos.get();
    }

    String firstProblem() {
        return firstProblem;
    }
}
