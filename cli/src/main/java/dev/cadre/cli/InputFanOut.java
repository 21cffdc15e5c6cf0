package dev.cadre.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * srun's standard input, forwarded to each receiving task (Slurm's --input=all, or one task's): read once, on a
 * thread of its own, and handed to every task's {@link Tap}, each holding at most {@link #QUEUED} pieces, so the
 * slowest reader paces the rest and nothing is buffered without bound. A tap its task closed (it ended, or its
 * command takes no more input) is passed over; once every tap is closed, nothing more is read.
 */
final class InputFanOut {
    static final int CHUNK = 64 * 1024;
    static final int QUEUED = 4;

    private final InputStream source;
    private final List<Tap> taps = new ArrayList<>();

    private InputFanOut(InputStream source, int count) {
        this.source = source;
        for (int i = 0; i < count; i++) {
            taps.add(new Tap());
        }
    }

    /** Starts reading {@code source} for {@code count} readers. */
    static InputFanOut start(InputStream source, int count) {
        InputFanOut fan = new InputFanOut(source, count);
        Thread t = new Thread(fan::copy, "srun-input");
        t.setDaemon(true);
        t.start();
        return fan;
    }

    Tap tap(int i) {
        return taps.get(i);
    }

    private void copy() {
        byte[] buffer = new byte[CHUNK];
        try {
            int n;
            while (taps.stream().anyMatch(t -> !t.closed()) && (n = source.read(buffer)) >= 0) {
                byte[] piece = Arrays.copyOf(buffer, n);
                for (Tap t : taps) {
                    t.put(piece);
                }
            }
        } catch (IOException e) {
            // Input that cannot be read ends there, for every task.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        taps.forEach(Tap::end);
    }

    /** One task's copy of the input; its close, from any thread, wakes its reader and the fan-out. */
    static final class Tap extends InputStream {
        private final Deque<byte[]> queue = new ArrayDeque<>();
        private byte[] current;
        private int at;
        private boolean ended;
        private boolean closed;

        synchronized void put(byte[] piece) throws InterruptedException {
            while (!closed && queue.size() >= QUEUED) {
                wait();
            }
            if (!closed && piece.length > 0) {
                queue.add(piece);
                notifyAll();
            }
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        synchronized boolean closed() {
            return closed;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || at == current.length) {
                if (closed) {
                    return -1;
                }
                if (!queue.isEmpty()) {
                    current = queue.poll();
                    at = 0;
                    notifyAll();
                } else if (ended) {
                    return -1;
                } else {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for srun's input", e);
                    }
                }
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized void close() {
            closed = true;
            queue.clear();
            notifyAll();
        }
    }
}
