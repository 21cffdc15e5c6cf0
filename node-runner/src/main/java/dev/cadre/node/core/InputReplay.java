package dev.cadre.node.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The input a client outside the job ({@code GrantedExec}) keeps until the node acknowledges writing it, to send it
 * again once its broker connection is back (protocol.md 13.10): what it sent while the broker was away went nowhere,
 * and what the node took of it is skipped there ({@link InputIntake}). The window bounds what is kept.
 */
public final class InputReplay {
    /** One exec-input as it was sent. */
    public record Piece(long offset, byte[] data, boolean end) {
        long until() {
            return offset + data.length;
        }
    }

    private final Deque<Piece> kept = new ArrayDeque<>();

    /** A piece was sent (or was to be: the send may have failed). */
    public synchronized void sent(long offset, byte[] data, boolean end) {
        kept.addLast(new Piece(offset, data, end));
    }

    /**
     * The node wrote the input up to {@code offset}: the pieces wholly before it are not sent again; the end only once
     * the node says it closed the input ({@code closed}), since an acknowledgement of the data before it comes first.
     */
    public synchronized void acknowledged(long offset, boolean closed) {
        while (!kept.isEmpty() && kept.peekFirst().until() <= offset && (closed || !kept.peekFirst().end())) {
            kept.removeFirst();
        }
    }

    /** What to send again, oldest first. */
    public synchronized List<Piece> unacknowledged() {
        return List.copyOf(kept);
    }
}
