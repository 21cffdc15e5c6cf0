package dev.cadre.scheduler;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling loop's thread: a pass when woken (a job's start or end, a submission, a request that changed
 * something) and at least once a tick, the passes spaced so that a stream of events shares them.
 */
final class SchedulingLoop {
    /** A failed pass is the service's to report, under its name. */
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

    /** Passes start at least this far apart, and at least twice the last pass's length apart. */
    private static final long PASS_SPACING_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long PASS_SPACING_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Semaphore wake = new Semaphore(0);
    private final Duration tickInterval;
    private final BooleanSupplier running;
    private final Runnable pass;
    private final Thread thread;

    /**
     * @param running false once the service stops: the loop then ends, after the pass under way
     * @param pass one pass; a RuntimeException it throws is logged and the loop goes on
     */
    SchedulingLoop(Duration tickInterval, BooleanSupplier running, Runnable pass) {
        this.tickInterval = tickInterval;
        this.running = running;
        this.pass = pass;
        this.thread = new Thread(this::run, "cadre-scheduler-loop");
    }

    void start() {
        thread.start();
    }

    /** Asks for a pass: at once when the loop is idle, else as soon as the spacing allows. */
    void wake() {
        wake.release();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    private void run() {
        long passStarted = System.nanoTime() - PASS_SPACING_MIN_NANOS;
        long passNanos = 0;
        while (running.getAsBoolean()) {
            try {
                wake.tryAcquire(tickInterval.toMillis(), TimeUnit.MILLISECONDS);
                // Every job start, end and submission wakes the loop. Under a stream of short jobs that would be a
                // pass per event, each over the whole queue; spacing the passes lets one pass take a batch of
                // events, while an idle scheduler still answers the first event at once.
                long due = passStarted + Math.max(PASS_SPACING_MIN_NANOS, 2 * passNanos);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, PASS_SPACING_MAX_NANOS));
                }
                wake.drainPermits();
                if (!running.getAsBoolean()) {
                    break;
                }
                passStarted = System.nanoTime();
                pass.run();
                passNanos = System.nanoTime() - passStarted;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("scheduling pass failed", e);
            }
        }
    }
}
