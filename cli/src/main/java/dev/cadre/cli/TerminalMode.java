package dev.cadre.cli;

import dev.cadre.node.core.TerminalSize;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local terminal in raw mode for a command that runs at a remote pseudo-terminal (srun --pty, salloc's shell),
 * through stty on /dev/tty as ssh -t puts it: every key goes to the command as typed (Ctrl-C and Ctrl-D included,
 * for the remote terminal to act on), nothing is echoed here. Its settings before are put back when closed, and by a
 * shutdown hook when the JVM ends first (a hang-up, SIGTERM). What was typed before it was raw is read at once and
 * handed on as typed ({@link TypedAhead}): an end-of-file among it would otherwise come out of the raw terminal as a
 * NUL.
 */
final class TerminalMode implements AutoCloseable {
    private static final File TTY = new File("/dev/tty");

    private final String saved;
    private final InputStream keys;
    private final Thread hook;
    private final AtomicBoolean restored = new AtomicBoolean();
    /** What the terminal held when it was made raw, as typed. */
    private byte[] typedAhead = new byte[0];

    private TerminalMode(String saved, InputStream keys) {
        this.saved = saved;
        this.keys = keys;
        this.hook = new Thread(this::restore, "terminal-restore");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The terminal's size as stty reads it, or null when it tells none (0 0: a terminal nobody sized). */
    static TerminalSize size() {
        try {
            return TerminalSize.parse(stty("size")).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Saves the terminal's settings and makes it raw, then takes what {@code keys}, its input, already holds: the
     * keys typed before, which {@link #keys()} hands on first.
     */
    static TerminalMode raw(InputStream keys) throws IOException {
        String saved = stty("-g").trim();
        TerminalMode mode = new TerminalMode(saved, keys);
        try {
            stty("raw", "-echo");
            // The kernel's count of what is there (FIONREAD), all of which a read returns at once on a raw terminal.
            int pending = keys.available();
            mode.typedAhead = TypedAhead.restore(keys.readNBytes(pending), TypedAhead.endOfFile(saved));
        } catch (IOException e) {
            mode.close();
            throw e;
        }
        return mode;
    }

    /** The terminal's keys: those typed before it was raw, as typed, then the input as it comes. */
    InputStream keys() {
        return new SequenceInputStream(new ByteArrayInputStream(typedAhead), keys);
    }

    private void restore() {
        if (restored.compareAndSet(false, true)) {
            try {
                stty(saved);
            } catch (IOException e) {
                System.err.println("cadre: could not restore the terminal (" + e.getMessage() + "); type: stty sane");
            }
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down: the hook runs, and does nothing more.
        }
    }

    private static String stty(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("stty"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.PIPE).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("stty " + String.join(" ", args) + " did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running stty", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("stty " + String.join(" ", args) + ": "
                    + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        return out;
    }
}
