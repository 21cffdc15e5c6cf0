package dev.cadre.node.core;

/**
 * The node's side of a command's input (protocol.md §13.10): which exec-input it takes, in order and within the
 * window, and which it refuses with a reason that changes nothing. Input that comes once the command's input is
 * closed (the command had enough and closed it, as {@code head -c 1} does) was on its way meanwhile, and is dropped
 * without a word, as ssh drops it. Input that starts before the bytes taken so far is sent again by a client whose
 * broker connection broke ({@code GrantedExec}): what was taken of it is skipped, so nothing reaches the command
 * twice; input that starts after them left a gap, and is refused.
 */
public final class InputIntake {
    /**
     * What becomes of one exec-input: taken, dropped, or refused with {@code error}.
     *
     * @param skip how many of its first bytes were taken already (it was sent again): only the rest is the command's
     */
    public record Verdict(boolean take, String error, int skip) {
        static final Verdict DROP = new Verdict(false, null, 0);

        public Verdict(boolean take, String error) {
            this(take, error, 0);
        }

        static Verdict refuse(String error) {
            return new Verdict(false, error, 0);
        }
    }

    private final long window;
    private long received;
    private long written;
    private boolean ended;
    private boolean closed;

    public InputIntake() {
        this(InputWindow.SIZE);
    }

    public InputIntake(long window) {
        this.window = window;
    }

    public synchronized Verdict accept(long offset, int length, boolean end) {
        if (closed) {
            return Verdict.DROP;
        }
        if (length > RelayWire.MAX_DATA) {
            return Verdict.refuse("an exec-input of " + length + " bytes; the most is " + RelayWire.MAX_DATA);
        }
        if (offset >= 0 && offset + length <= received && (ended || (!end && offset < received))) {
            return Verdict.DROP; // sent again, and all of it taken already
        }
        if (ended) {
            return Verdict.refuse("input at byte " + offset + " after its end, at byte " + received);
        }
        if (offset > received || offset < 0 || offset + length < received) {
            return Verdict.refuse("input at byte " + offset + " out of order: " + received + " bytes were taken so"
                    + " far");
        }
        int skip = (int) (received - offset);
        int fresh = length - skip;
        if (received + fresh - written > window) {
            return Verdict.refuse("input at byte " + offset + " would leave " + (received + fresh - written)
                    + " bytes unwritten, over the window of " + window + " (the sender ignored the acknowledgements)");
        }
        received += fresh;
        ended = end;
        return new Verdict(true, null, skip);
    }

    /** The bytes written to the command so far. */
    public synchronized long written() {
        return written;
    }

    /** {@code n} more bytes were written to the command; returns the bytes written so far. */
    public synchronized long wrote(int n) {
        written += n;
        return written;
    }

    /** The command's input is closed: its end was written, the command closed it, or the run ended. */
    public synchronized void close() {
        closed = true;
    }

    public synchronized boolean closed() {
        return closed;
    }
}
