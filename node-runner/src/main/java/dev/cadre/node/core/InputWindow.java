package dev.cadre.node.core;

/**
 * The relay's side of a command's input flow control (protocol.md §13.10): it sends exec-input only while the
 * bytes the node has not acknowledged stay within {@link #SIZE}, and stops reading its agent's socket otherwise, so
 * a huge or endless input is held nowhere beyond the window. Closed, it takes nothing more: the node closed the
 * command's input, or the run ended.
 */
public final class InputWindow {
    /** The most input unacknowledged at once, per run: the node's queue holds at most this much too. */
    public static final int SIZE = 1 << 20;

    private final long size;
    /** Whether the node has said its command takes input; until then nothing may be sent. */
    private boolean open;
    private boolean closed;
    private long sent;
    private long acknowledged;
    private long peak;

    public InputWindow() {
        this(SIZE);
    }

    public InputWindow(long size) {
        if (size < RelayWire.MAX_DATA) {
            throw new IllegalArgumentException("a window of " + size + " bytes cannot hold one input frame");
        }
        this.size = size;
    }

    /** The node took the request with a pipe for its input: sending may begin. */
    public synchronized void open() {
        open = true;
        notifyAll();
    }

    /** Nothing more is sent: whoever waits for room is let go, without it. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    public synchronized boolean closed() {
        return closed;
    }

    /**
     * Waits up to {@code millis} for room for {@code bytes}, and takes it when there is.
     *
     * @return the offset the bytes start at in the input; -1 when there was no room in time, or the window closed
     *     meanwhile ({@link #closed} tells which)
     */
    public synchronized long take(int bytes, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!closed && (!open || sent - acknowledged + bytes > size)) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return -1;
            }
            wait(left);
        }
        if (closed) {
            return -1;
        }
        long offset = sent;
        sent += bytes;
        peak = Math.max(peak, sent - acknowledged);
        return offset;
    }

    /**
     * The node wrote the input up to {@code offset}.
     *
     * @param inputClosed the node takes no more input: the window closes
     * @return null, or what is wrong with the acknowledgement (which then changes nothing)
     */
    public synchronized String acknowledge(long offset, boolean inputClosed) {
        if (offset < acknowledged || offset > sent) {
            return "the node acknowledged input up to byte " + offset + ", outside the " + acknowledged + "-" + sent
                    + " it had not acknowledged yet";
        }
        acknowledged = offset;
        if (inputClosed) {
            closed = true;
        }
        notifyAll();
        return null;
    }

    public synchronized long sent() {
        return sent;
    }

    /** The most input that was unacknowledged at once: never over the window's size. */
    public synchronized long peak() {
        return peak;
    }
}
