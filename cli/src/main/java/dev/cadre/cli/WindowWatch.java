package dev.cadre.cli;

import dev.cadre.node.core.TerminalSize;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Follows the local terminal's size while a command runs at a remote pseudo-terminal (srun --pty, salloc's shell),
 * as ssh does: each new size is handed on once, for the node to give the remote terminal.
 *
 * <p>Driven by SIGWINCH through sun.misc.Signal (module jdk.unsupported, exported to every class path), not by a poll
 * of stty: on this OpenJDK 17 a handler for WINCH installs and is called (the JVM does not use the signal itself;
 * JLine relies on the same), and the kernel sends the signal to the terminal's foreground process group, this JVM
 * among it, at every change, so a resize goes on at once and an idle terminal costs nothing, where a poll would
 * start an stty process every interval for the whole session. Only the size is read per signal (stty size on
 * /dev/tty), and a burst of signals (a window dragged) reads it once per pending signal at most. A JVM that does not
 * let the handler be installed (one that reserves the signal) is polled every {@link #POLL_MILLIS} ms instead.
 */
final class WindowWatch implements AutoCloseable {
    static final long POLL_MILLIS = 1000;
    private static final Signal WINCH = new Signal("WINCH");

    private final Supplier<TerminalSize> reader;
    private final Consumer<TerminalSize> resized;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-window-size");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    /** The handler before this one's, put back on close; null when the terminal is polled. */
    private final SignalHandler previous;
    /** The size last handed on (or started with); read and written on the worker alone. */
    private TerminalSize last;

    private WindowWatch(TerminalSize initial, Supplier<TerminalSize> reader, Consumer<TerminalSize> resized) {
        this.last = initial;
        this.reader = reader;
        this.resized = resized;
        SignalHandler before;
        try {
            before = Signal.handle(WINCH, s -> changed());
        } catch (IllegalArgumentException e) {
            before = null;
            worker.scheduleWithFixedDelay(this::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        this.previous = before;
    }

    /** Follows /dev/tty's size from {@code initial} on, the size the remote terminal was given. */
    static WindowWatch start(TerminalSize initial, Consumer<TerminalSize> resized) {
        return start(initial, TerminalMode::size, resized);
    }

    /** The same, the size read by {@code reader} (null: unknown, nothing handed on). */
    static WindowWatch start(TerminalSize initial, Supplier<TerminalSize> reader, Consumer<TerminalSize> resized) {
        return new WindowWatch(initial, reader, resized);
    }

    /** On the signal's own thread: the size is read on the worker, once for any number of signals waiting. */
    private void changed() {
        if (pending.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    pending.set(false);
                    check();
                });
            } catch (RejectedExecutionException e) {
                // Closed: the command has ended.
            }
        }
    }

    private void check() {
        TerminalSize now = reader.get();
        if (now != null && !now.equals(last)) {
            last = now;
            resized.accept(now);
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(WINCH, previous);
        }
        worker.shutdownNow();
    }
}
