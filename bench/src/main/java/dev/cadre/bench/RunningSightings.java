package dev.cadre.bench;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * When a watch of this client saw each job reach RUNNING. A watch hands events over in the order the scheduler
 * published them, so a job whose end it sees first will never be seen RUNNING: that is known at once rather
 * than at the deadline. An event may arrive before the submitter knows the job's id; it waits here for it.
 */
final class RunningSightings {
    /** What became of a job's RUNNING event. */
    sealed interface Sighting {
        /** @param atNanos {@link System#nanoTime} when the event arrived */
        record Seen(long atNanos) implements Sighting {
        }

        record Missing(String why) implements Sighting {
        }
    }

    private final Map<Long, CompletableFuture<Long>> byJob = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    RunningSightings(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The watch's listener. */
    void onEvent(JobEvent.JobStateChanged e) {
        if (e.state() == JobState.RUNNING) {
            sighting(e.jobId()).complete(nanoTime.getAsLong());
        } else if (e.state().isTerminal()) {
            sighting(e.jobId()).completeExceptionally(new IllegalStateException("ended " + e.state()
                    + " without a RUNNING event before it"));
        }
    }

    /** Waits for the job's RUNNING event; a job that ends without one, or none within the timeout, is Missing. */
    Sighting await(long jobId, Duration timeout) throws InterruptedException {
        try {
            return new Sighting.Seen(sighting(jobId).get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            return new Sighting.Missing(e.getCause().getMessage());
        } catch (TimeoutException e) {
            return new Sighting.Missing("no RUNNING event within " + timeout.toMillis() + " ms");
        }
    }

    private CompletableFuture<Long> sighting(long jobId) {
        return byJob.computeIfAbsent(jobId, id -> new CompletableFuture<>());
    }
}
