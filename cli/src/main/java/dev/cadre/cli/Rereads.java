package dev.cadre.cli;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The reads of 'cadre watch' that make up for events it cannot hear (kept in no outbox, lost in a reconnect, or not
 * naming the task watched): on one daemon thread, every {@link WatchCommand#POLL} and at once when asked, until the
 * read answers false or the job is gone (404).
 */
final class Rereads implements AutoCloseable {
    /** One read: false once there is nothing left to follow. */
    interface Read {
        boolean again() throws RestClient.ClientException;
    }

    private final PrintStream err;
    private final String job;
    private final Read read;
    private final Runnable gone;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-watch-poll");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean asked = new AtomicBoolean();
    /** Only the reading thread uses it. */
    private boolean failing;

    /**
     * @param job the job as the error names it
     * @param gone what a 404 means: called once, on the reading thread, and then reading stops
     */
    Rereads(PrintStream err, String job, Read read, Runnable gone) {
        this.err = err;
        this.job = job;
        this.read = read;
        this.gone = gone;
        long every = WatchCommand.POLL.toMillis();
        thread.scheduleWithFixedDelay(this::readOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /** A read as soon as the thread is free; asking again before it has begun asks for nothing more. */
    void now() {
        if (asked.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    asked.set(false);
                    readOnce();
                });
            } catch (RejectedExecutionException e) {
                // Reading has stopped: there is nothing left to read for.
            }
        }
    }

    /**
     * A failing read is reported once until one succeeds again (a head restarting would otherwise print a line every
     * poll); nothing thrown out of it may end the reads without a word, as the watch would then wait for ever.
     */
    private void readOnce() {
        if (thread.isShutdown()) {
            return;
        }
        String problem;
        try {
            if (!read.again()) {
                thread.shutdown();
            }
            failing = false;
            return;
        } catch (RestClient.ClientException e) {
            if (e.status == 404) {
                thread.shutdown();
                gone.run();
                return;
            }
            problem = e.getMessage();
        } catch (RuntimeException e) {
            problem = e.toString();
        }
        if (!failing) {
            failing = true;
            err.println("cadre watch: cannot read job " + job + " again: " + problem);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
