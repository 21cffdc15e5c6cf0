package dev.cadre.cli;

import dev.cadre.node.core.RelayWire;
import dev.cadre.node.core.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The standard input of a command run through this node's exec relay ({@link RelayCall}): copied to the relay on a
 * thread of its own once the relay says {@link RelayWire#GO}, until its end or the relay's {@link RelayWire#CLOSED}
 * (protocol.md 13.10), with the local terminal's resizes beside it (13.11). Its own thread, so that the call reads
 * the relay's answers all the while and a command that echoes its input never waits for the agent.
 */
final class RelayInputCopy {
    /** What the command reads; null for /dev/null. */
    private final InputStream input;
    /** Set by the relay's {@link RelayWire#CLOSED}, or the call's end: nothing more is copied. */
    private volatile boolean stopped;
    /** Whether the input was copied to its end. */
    private volatile boolean ended;
    private volatile boolean copying;
    /** The connection the input goes on, which resizes go beside; null before the relay's GO. */
    private volatile SocketChannel to;
    /** One frame at a time on the connection: the input's copy and a resize write from their own threads. */
    private final Object writing = new Object();

    /** @param input what the command reads, closed once done with; null for /dev/null */
    RelayInputCopy(InputStream input) {
        this.input = input;
    }

    /** Whether the command reads anything: the request announces it (version 3). */
    boolean given() {
        return input != null;
    }

    /** The relay's GO: copies the input to this connection on a thread of its own, once. */
    void start(SocketChannel connection) {
        if (input == null || copying) {
            return;
        }
        copying = true;
        to = connection;
        Thread t = new Thread(() -> copy(connection), "cadre-rsh-input");
        t.setDaemon(true);
        t.start();
    }

    private void copy(SocketChannel connection) {
        byte[] chunk = new byte[RelayWire.MAX_DATA];
        try (input) {
            int n;
            while (!stopped && (n = input.read(chunk)) >= 0) {
                if (n > 0) {
                    write(connection, new RelayWire.Frame(RelayWire.DATA, Arrays.copyOf(chunk, n)));
                }
            }
            if (!stopped) {
                write(connection, RelayWire.Frame.empty(RelayWire.END));
                ended = true;
            }
        } catch (IOException e) {
            // The connection broke (resumed without the rest: see RelayCall's resume), or the input could not be read.
            stopped = true;
        }
    }

    private void write(SocketChannel connection, RelayWire.Frame frame) throws IOException {
        ByteBuffer b = frame.encode();
        synchronized (writing) {
            while (b.hasRemaining()) {
                connection.write(b);
            }
        }
    }

    /** A resize frame beside the input; dropped before the relay's GO, and once the connection is gone. */
    void resize(TerminalSize size) {
        SocketChannel connection = to;
        if (connection == null) {
            return;
        }
        try {
            write(connection, RelayWire.Frame.resize(size));
        } catch (IOException e) {
            // The connection broke: the run's end, or its resumption, says so.
        }
    }

    /** Whether some of the input was still to be sent: a resumed run cannot know what reached the command. */
    boolean cutShort() {
        return input != null && !ended && !stopped;
    }

    /**
     * The relay takes no more input (or the call is over): what is left is not read. The input is closed at once,
     * while the copy may be reading it: a stream given to a call wakes its reader when closed ({@link InputFanOut}),
     * or ignores the close.
     */
    void stop() {
        stopped = true;
        if (input != null) {
            try {
                input.close();
            } catch (IOException e) {
                // nothing more is read from it either way
            }
        }
    }
}
