package dev.cadre.node;

import dev.cadre.protocol.RunnerEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kills of remote commands' sessions ({@link ExecSessions}), each on a thread of its own, and how many of each
 * attempt's are under way: a heartbeat lists the attempt until they are done, since the scheduler keeps its slots
 * here taken until then. Once the runner stops ({@link #close}) it kills nothing more and throws nothing: a kill asked
 * for then (the release of an attempt, an exit that comes after the stop for an attempt no longer held) is left,
 * with the commands and their records, to the next runner, which kills what the commands left with their attempts,
 * or at its start when those are no longer held ({@link ExecSessions#killUnheld}).
 */
final class SessionKills implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionKills.class);
    /** How many kills of each attempt's sessions are under way. */
    private final Map<RunnerEvent.RunningAttempt, Integer> stopping = new ConcurrentHashMap<>();
    private final ExecutorService killers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cadre-exec-kill");
        t.setDaemon(true);
        return t;
    });

    /** Runs one kill in the background, not counted with its attempt's. */
    void execute(Runnable kill) {
        try {
            killers.execute(kill);
        } catch (RejectedExecutionException stopped) {
            LOG.debug("the runner stops: a kill of a remote command is left to the next runner");
        }
    }

    /**
     * Runs each of the attempt's kills in the background, counted while under way.
     *
     * @return done when all have run (at once when there are none)
     */
    CompletableFuture<Void> ofAttempt(long jobId, int attempt, List<Runnable> kills) {
        if (kills.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        RunnerEvent.RunningAttempt key = new RunnerEvent.RunningAttempt(jobId, attempt);
        stopping.merge(key, kills.size(), Integer::sum);
        CompletableFuture<?>[] done = kills.stream().map(k -> start(key, k)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(done).handle((v, e) -> null);
    }

    private CompletableFuture<Void> start(RunnerEvent.RunningAttempt key, Runnable kill) {
        try {
            return CompletableFuture.runAsync(() -> {
                try {
                    kill.run();
                } finally {
                    done(key);
                }
            }, killers);
        } catch (RejectedExecutionException stopped) {
            LOG.info("job {} attempt {}: the runner stops; what its remote commands left here is left to the next"
                    + " runner, which kills it", key.jobId(), key.attempt());
            done(key);
            return CompletableFuture.completedFuture(null);
        }
    }

    private void done(RunnerEvent.RunningAttempt key) {
        stopping.computeIfPresent(key, (a, n) -> n == 1 ? null : n - 1);
    }

    /** Whether the runner stops: nothing is killed any more. */
    boolean stopped() {
        return killers.isShutdown();
    }

    /** Attempts whose sessions are being killed here. */
    List<RunnerEvent.RunningAttempt> stopping() {
        return List.copyOf(stopping.keySet());
    }

    @Override
    public void close() {
        killers.shutdown();
    }
}
