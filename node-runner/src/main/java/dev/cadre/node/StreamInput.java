package dev.cadre.node;

import dev.cadre.node.core.InputReplay;
import dev.cadre.node.core.InputWindow;
import dev.cadre.node.core.RelayWire;
import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.ExecMessage;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream copied to a {@link GrantedExec}'s command as exec-input (protocol.md 13.10), as {@link RelayInput} copies
 * an agent's frames: from the node's exec-started on, what each read returns (a terminal's keys as they are typed, a
 * pipe's data) goes in pieces of at most 64 KiB within the {@link InputWindow}, and the stream's end as an end. A
 * command that closes its input, or the run's end, stops the copy; a read under way is left to the stream. A
 * terminal's new sizes go beside it, as exec-resize. What the node has not acknowledged is kept ({@link InputReplay}):
 * once the client's broker connection is back after a break ({@link #relinked}), it is sent again every second until
 * the node has acknowledged it, since what was sent while the broker was away went nowhere. Those rounds run on the
 * {@link GrantedExec}'s one resend thread, so a link that breaks and comes back often starts no thread each time.
 */
final class StreamInput implements ExecClient.Input {
    private static final long WAIT_MILLIS = 1000;
    /** How many times, a second apart, the unacknowledged input is sent again after the connection is back. */
    private static final int RESENDS = 60;

    private final InputStream in;
    private final String host;
    private final String requestId;
    private final RelayInput.Sender sender;
    private final ExecClient.Output output;
    private final InputWindow window = new InputWindow();
    private final InputReplay replay = new InputReplay();
    private final ScheduledExecutorService resends;
    /** Counts the relinks: the rounds a relink started stop once a later one started its own. */
    private final AtomicInteger relinks = new AtomicInteger();
    private volatile boolean copying;
    /** Set once the connection came back after a break: a gap the node refuses is filled by sending again. */
    private volatile boolean relinked;

    /** @param resends runs the rounds of sending again after a relink; its owner shuts it down */
    StreamInput(InputStream in, String host, String requestId, RelayInput.Sender sender, ExecClient.Output output,
            ScheduledExecutorService resends) {
        this.in = in;
        this.host = host;
        this.requestId = requestId;
        this.sender = sender;
        this.output = output;
        this.resends = resends;
    }

    @Override
    public void started(boolean takesInput) {
        if (!takesInput) {
            window.close();
            return;
        }
        window.open();
        if (!copying) {
            copying = true;
            Thread t = new Thread(this::copy, "cadre-exec-input");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void acknowledged(ExecMessage.ExecInputAck ack) throws IOException {
        window.acknowledge(ack.offset(), ack.closed());
        replay.acknowledged(ack.offset(), ack.closed());
        if (ack.error() != null && relinked && !ack.closed()) {
            resend(); // input sent after the break overtook what the break lost: it is all sent again
        } else if (ack.error() != null) {
            output.stderr(("cadre exec: " + host + ": input refused: " + ack.error() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (ack.closed()) {
            window.close();
        }
    }

    /**
     * Sends the terminal's new size to the run (exec-resize), once the command runs with input; before, or after its
     * end, it is dropped. Called from any thread: the input's own copy shares the sender's session.
     */
    void resize(TerminalSize size) {
        if (!copying || window.closed()) {
            return;
        }
        synchronized (sender) {
            try {
                sender.resize(new ExecMessage.ExecResize(requestId, size.rows(), size.columns()));
            } catch (JMSException e) {
                // The broker went away with the run, whose end says so.
            }
        }
    }

    /**
     * The client's broker connection is back after a break: what the node has not acknowledged is sent again now and
     * every second until it has, at most {@link #RESENDS} times, on the resend thread; the node skips what it took
     * already. A later relink starts the rounds afresh, ending those of this one.
     */
    void relinked() {
        relinked = true;
        resendRound(relinks.incrementAndGet(), 0, 0);
    }

    private void resendRound(int relink, int round, long delayMillis) {
        try {
            resends.schedule(() -> {
                if (relink == relinks.get() && !window.closed() && !replay.unacknowledged().isEmpty()) {
                    resend();
                    if (round + 1 < RESENDS) {
                        resendRound(relink, round + 1, WAIT_MILLIS);
                    }
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The exec is closed: its run is over, and nothing more is sent.
        }
    }

    private void resend() {
        synchronized (sender) {
            for (InputReplay.Piece p : replay.unacknowledged()) {
                if (window.closed()) {
                    return;
                }
                try {
                    sender.send(new ExecMessage.ExecInput(requestId, p.offset(),
                            Base64.getEncoder().encodeToString(p.data()), p.end()));
                } catch (JMSException e) {
                    return; // the broker is away again: the next round, or the next relink, sends it
                }
            }
        }
    }

    /** The run ended: nothing more is sent. */
    void end() {
        window.close();
        try {
            sender.close();
        } catch (JMSException e) {
            // Closed with the connection already.
        }
    }

    private void copy() {
        byte[] chunk = new byte[RelayWire.MAX_DATA];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (n > 0 && !send(Arrays.copyOf(chunk, n), false)) {
                    return;
                }
            }
            send(new byte[0], true);
        } catch (IOException e) {
            // The input could not be read: the command's input stays open until the run's end, as a cut ssh
            // connection leaves it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends a piece once the window has room; false when the window closed first (nothing more is taken). A piece the
     * broker did not take (it is away) is kept, and sent again once the connection is back.
     */
    private boolean send(byte[] data, boolean last) throws InterruptedException {
        long offset;
        while ((offset = window.take(data.length, WAIT_MILLIS)) < 0) {
            if (window.closed()) {
                return false;
            }
        }
        synchronized (sender) {
            replay.sent(offset, data, last);
            try {
                sender.send(new ExecMessage.ExecInput(requestId, offset, Base64.getEncoder().encodeToString(data),
                        last));
            } catch (JMSException e) {
                return !window.closed();
            }
        }
        return true;
    }
}
