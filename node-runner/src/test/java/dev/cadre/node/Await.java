package dev.cadre.node;

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
 * Waits for a condition with a deadline, as the tests of every module do: a checker thread tests it every 20 ms
 * and the waiting thread blocks until it says the condition holds, so no test sleeps a guessed time.
 */
final class Await {
    private Await() {
    }

    /**
     * Fails once the timeout has passed (on the monotonic clock); an exception or assertion the condition throws
     * ends the wait at once and is thrown here.
     *
     * @param what said when the wait times out, as things then stand
     */
    static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        CompletableFuture<Void> met = new CompletableFuture<>();
        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "await");
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
            }, 0, 20, TimeUnit.MILLISECONDS);
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
