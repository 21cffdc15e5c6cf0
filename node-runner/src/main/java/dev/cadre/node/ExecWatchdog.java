package dev.cadre.node;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exec service's one thread beside its listener ({@link ExecService}): its periodic checks (silent agents, requests
 * whose place-job is overdue, the agents of requests not running here), and the work kept off the listener's and the
 * command thread's way, above all the starts of requests that came before their attempt's place-job. Its stop lets
 * that work run to its end, as the listener's close lets a start on the listener's thread: an interrupt would cut a
 * command's start short midway (its shell killed as it joins its cgroup, a record's write closed under it), leaving a
 * command that runs with its records incomplete, or the records of one that never ran, and its agent refused.
 */
final class ExecWatchdog implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(ExecWatchdog.class);
    /** How long a stop waits for the work under way: twice what a command's shell may take to join its cgroup. */
    static final Duration STOP_WAIT = Duration.ofSeconds(20);
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-exec-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** Runs the check every {@code period}, the first time one period from now. */
    void every(Duration period, Runnable check) {
        thread.scheduleWithFixedDelay(check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @throws RejectedExecutionException once stopping: the work is the next runner's, or nobody's */
    @Override
    public void execute(Runnable work) {
        thread.execute(work);
    }

    /**
     * Runs no more checks and takes no more work; waits for the work taken, what runs and what is queued, up to
     * {@link #STOP_WAIT}, and only then interrupts it.
     */
    void stop() {
        thread.shutdown(); // cancels the periodic checks; what execute took still runs
        try {
            if (thread.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            LOG.warn("the exec service's work did not end within {} s of the stop; interrupting it",
                    STOP_WAIT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
