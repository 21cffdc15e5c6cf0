package dev.cadre.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one standard stream of a remote command, on a thread of its own, and hands on what each read returns: first
 * the pipe the runner started its wrapper with (none for a command an earlier runner started), then, once the
 * wrapper has moved the command onto its named pipe in the exec records ({@link CommandWrapper#outputPipe}), that
 * one, which the wrapper holds open for reading and writing, so that it outlives this runner. It ends when no process
 * holds the pipe for writing any more: the wrapper has exited, and so has everything of the command that kept the
 * stream, as with a plain pipe. Stopped (the runner stops), it reads no more and leaves the rest to the next runner.
 * Read for a command an earlier runner started ({@link #adopted}), a named pipe not there yet, or there with no writer
 * yet, is waited for while the command's wrapper runs: the wrapper makes its pipes only once told to run, which an
 * earlier runner may have done just before it stopped, and opens them just after.
 */
final class OutputPump {
    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);
    private static final int CHUNK = 64 * 1024;
    /** The longest pause between two looks for a named pipe still to be made or opened ({@link #adopted}). */
    private static final long MAX_PAUSE_MILLIS = 250;

    /** Where each piece read goes, in order; may wait (for a destination, or for the broker). */
    interface Sink {
        void take(byte[] chunk) throws InterruptedException;
    }

    private final InputStream started;
    private final Path named;
    private final Sink sink;
    /**
     * Whether the named pipe, when not there yet or held by no writer, may still be made and opened: its command's
     * wrapper runs.
     */
    private final BooleanSupplier wrapperRuns;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile FileChannel reading;

    private OutputPump(InputStream started, Path named, Sink sink, BooleanSupplier wrapperRuns) {
        this.started = started;
        this.named = named;
        this.sink = sink;
        this.wrapperRuns = wrapperRuns;
    }

    /**
     * @param started the pipe the wrapper was started with, null for none
     * @param named the command's named pipe for the stream, null for none (a wrapper that records nothing)
     * @param thread the reading thread's name
     */
    static OutputPump start(InputStream started, Path named, Sink sink, String thread) {
        // Read once the wrapper has moved the command off the pipe it was started with, which it does only after it
        // made its named pipes, or never, when it could not: one not there then never comes.
        return start(new OutputPump(started, named, sink, () -> false), thread);
    }

    /**
     * For a command an earlier runner started: reads its named pipe, made and opened by its wrapper once the earlier
     * runner told it to run, so perhaps only after this runner adopted it; while the wrapper runs (it may not have
     * come to its pipes yet) one not there is waited for, and one there that no process holds for writing yet is read
     * on. A runner that took the first for a pipe its wrapper could not make, or the second (which reads as ended) for
     * the end of the output, would leave the pipe without a reader, and the wrapper would wait at its end for one (its
     * silence limit) before it ends, its output lost, and its exit told only then.
     *
     * @param wrapperRuns whether the command's wrapper still runs
     */
    static OutputPump adopted(Path named, BooleanSupplier wrapperRuns, Sink sink, String thread) {
        return start(new OutputPump(null, named, sink, wrapperRuns), thread);
    }

    private static OutputPump start(OutputPump pump, String thread) {
        Thread t = new Thread(pump::run, thread);
        t.setDaemon(true);
        t.start();
        return pump;
    }

    /** Done once the stream has ended and all of it was handed on; never, when stopped first. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** Reads no more: what the command writes from now on stays in its named pipe, for the next runner. */
    void stop() {
        stopped = true;
        FileChannel r = reading;
        if (r != null) {
            close(r); // wakes the read
        }
    }

    private void run() {
        try {
            if (started != null) {
                try (started) {
                    byte[] buffer = new byte[CHUNK];
                    int n;
                    while ((n = started.read(buffer)) > 0) {
                        sink.take(Arrays.copyOf(buffer, n));
                    }
                } catch (IOException e) {
                    // The pipe closed under us: the wrapper is gone, and so is what it could still write there.
                }
            }
            if (named != null && !stopped) {
                pumpNamed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!stopped) {
            drained.complete(null);
        }
    }

    private void pumpNamed() throws InterruptedException {
        FileChannel channel;
        try {
            channel = openOnceMade();
        } catch (NoSuchFileException e) {
            // The wrapper could not make it, and gave the command the pipes it was started with (or, adopted, the
            // command ended without it: started by a runner before named pipes).
            return;
        } catch (IOException e) {
            LOG.warn("cannot read the command's output from {}: {}", named, e.toString());
            return;
        }
        reading = channel;
        try (channel) {
            if (!stopped) {
                readToEnd(channel);
            }
        } catch (IOException e) {
            // Closed by stop(): the rest is the next runner's.
        }
    }

    /**
     * Reads until no process holds the pipe for writing, and none will: a pipe opened before its wrapper opened it
     * reads as ended at once, and is read again, after pauses, for as long as the wrapper runs ({@link #wrapperRuns},
     * asked after the read: a wrapper seen ended first has left what it wrote in the pipe, which one more read finds).
     */
    private void readToEnd(FileChannel channel) throws IOException, InterruptedException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        boolean writerMayCome = true;
        long pause = 1;
        while (true) {
            if (channel.read(buffer.clear()) > 0) {
                sink.take(Arrays.copyOf(buffer.array(), buffer.position()));
                continue;
            }
            if (!writerMayCome) {
                return;
            }
            writerMayCome = !stopped && wrapperRuns.getAsBoolean();
            if (writerMayCome) {
                Thread.sleep(pause);
                pause = Math.min(2 * pause, MAX_PAUSE_MILLIS);
            }
        }
    }

    /**
     * Opens the named pipe, waiting for it while it may still be made ({@link #wrapperRuns}), or until stopped.
     *
     * @throws NoSuchFileException when it is not there, and no longer to be made
     */
    private FileChannel openOnceMade() throws IOException, InterruptedException {
        long pause = 1;
        while (true) {
            // Asked before the look: a wrapper seen ended first made every pipe it was to make before.
            boolean toCome = !stopped && wrapperRuns.getAsBoolean();
            try {
                return open(named);
            } catch (NoSuchFileException e) {
                if (!toCome) {
                    throw e;
                }
            }
            Thread.sleep(pause);
            pause = Math.min(2 * pause, MAX_PAUSE_MILLIS);
        }
    }

    /**
     * Opens the named pipe for reading without waiting for a writer (a plain open would wait for ever for a
     * command whose wrapper has gone): opened for reading and writing first, which never waits, then for reading
     * alone, and the first closed. With no writer left, the reads then find the end at once.
     */
    static FileChannel open(Path pipe) throws IOException {
        if (!Files.readAttributes(pipe, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
            throw new IOException(pipe + " is no named pipe");
        }
        try (FileChannel keeper = FileChannel.open(pipe, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            return FileChannel.open(pipe, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
