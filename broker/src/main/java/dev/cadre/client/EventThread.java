package dev.cadre.client;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one thread for replies and events. Running both here keeps them in arrival order without locks
 * held while user callbacks run, and keeps those callbacks off the JMS threads, where closing the client from a
 * callback would deadlock.
 */
final class EventThread implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(EventThread.class);
    private final ExecutorService thread;
    private volatile Thread current;

    EventThread() {
        this("cadre-client-events");
    }

    /** A thread of the same kind for other tasks that must run in order, one at a time. */
    EventThread(String name) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            current = t;
            return t;
        });
    }

    /** Runs the task later on the event thread; once the client is closed, tasks are dropped. */
    @Override
    public void execute(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("error on the client's event thread: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("client closed; dropped a late task");
        }
    }

    /** Whether the caller runs on this thread, where waiting for a later task would wait for ever. */
    boolean isCurrent() {
        return Thread.currentThread() == current;
    }

    void shutdown() {
        thread.shutdown();
    }
}
