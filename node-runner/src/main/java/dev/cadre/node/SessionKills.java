package dev.cadre.node;

import dev.cadre.protocol.RunnerEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The kills of remote commands' sessions ({@link ExecSessions}), each on a thread of its own, and how many of each
 * attempt's are under way: a heartbeat lists the attempt until they are done, since the scheduler keeps its slots
 * here taken until then.
 */
final class SessionKills implements AutoCloseable {
    /** How many kills of each attempt's sessions are under way. */
    private final Map<RunnerEvent.RunningAttempt, Integer> stopping = new ConcurrentHashMap<>();
    private final ExecutorService killers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cadre-exec-kill");
        t.setDaemon(true);
        return t;
    });

    /** Runs one kill in the background, not counted with its attempt's. */
    void execute(Runnable kill) {
        killers.execute(kill);
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
        CompletableFuture<?>[] done = kills.stream().map(k -> CompletableFuture.runAsync(() -> {
            try {
                k.run();
            } finally {
                stopping.computeIfPresent(key, (a, n) -> n == 1 ? null : n - 1);
            }
        }, killers)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(done).handle((v, e) -> null);
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
