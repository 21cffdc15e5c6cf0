package dev.cadre.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, so that no test sleeps a guessed time: a checker thread tests it every
 * interval and the waiting thread blocks until it says the condition holds (as broker's EventRetentionTest waits).
 * The tests of node-runner and cli share it: protocol's test jar holds this package alone (protocol/pom.xml), and
 * they take that jar as a test dependency.
 */
public final class Await {
    /** Short, for conditions that cost little to check (a file, a process, a list); slower ones pass their own. */
    public static final Duration INTERVAL = Duration.ofMillis(20);

    private Await() {
    }

    /** Checks the condition every {@link #INTERVAL} until it holds; fails once the timeout has passed. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        until(what, timeout, INTERVAL, condition);
    }

    /** As {@link #until(String, Duration, BooleanSupplier)}, saying what it waited for as things stand at the end. */
    public static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        wait("await", what, timeout, INTERVAL, condition);
    }

    /**
     * Checks the condition every interval until it holds; fails once the timeout has passed (on the monotonic clock,
     * which a clock step cannot shorten or stretch). An exception or assertion the condition throws ends the wait at
     * once and is thrown here, as if the caller had checked.
     */
    public static void until(String what, Duration timeout, Duration interval, BooleanSupplier condition)
            throws InterruptedException {
        wait("await " + what, () -> what, timeout, interval, condition);
    }

    private static void wait(String threadName, Supplier<String> what, Duration timeout, Duration interval,
            BooleanSupplier condition) throws InterruptedException {
        CompletableFuture<Void> met = new CompletableFuture<>();
        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
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
            met.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
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
