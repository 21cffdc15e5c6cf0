package dev.cadre.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline: a checker thread tests it every interval and the waiting thread blocks
 * until it says the condition holds (as broker's EventRetentionTest waits), so no test sleeps a guessed time.
 */
public final class Await {
    private static final Duration INTERVAL = Duration.ofMillis(50);

    private Await() {
    }

    /** Checks the condition every 50 ms until it holds; fails once the timeout has passed. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        until(what, timeout, INTERVAL, condition);
    }

    /**
     * Checks the condition every interval until it holds; fails once the timeout has passed. An exception or
     * assertion the condition throws ends the wait at once and is thrown here, as if the caller had checked.
     */
    public static void until(String what, Duration timeout, Duration interval, BooleanSupplier condition)
            throws InterruptedException {
        CompletableFuture<Void> met = new CompletableFuture<>();
        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "await " + what);
            t.setDaemon(true);
            return t;
        });
        try {
            checker.scheduleWithFixedDelay(() -> {
                try {
                    if (condition.getAsBoolean()) {
                        met.complete(null);
                    }
                } catch (RuntimeException | Error e) {
                    met.completeExceptionally(e);
                }
            }, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
            // The future's own timed wait runs on the monotonic clock: a clock step cannot shorten or stretch it.
            met.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e.getCause();
        } finally {
            checker.shutdownNow();
        }
    }
}
