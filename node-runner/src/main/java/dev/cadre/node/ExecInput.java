package dev.cadre.node;

import dev.cadre.node.core.InputIntake;
import dev.cadre.protocol.ExecMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote command's standard input (protocol.md §13.10): the exec-input its relay sends, taken in order and within
 * the window ({@link InputIntake}) on the exec queue's consumer thread, which never waits for the command; written
 * to the command's pipe on a thread of its own, each write acknowledged to the relay, and the pipe closed at the end.
 * A command that closes its input early (exits, or {@code head -c 1}) drops the rest, and the relay is told to send
 * no more.
 */
final class ExecInput {
    private static final Logger LOG = LoggerFactory.getLogger(ExecInput.class);
    private static final byte[] END = new byte[0];

    private final String requestId;
    private final OutputStream stdin;
    private final ExecRun.Replies replies;
    private final InputIntake intake = new InputIntake();
    /** The pieces taken and not yet written, then {@link #END} once the end was taken; at most the window. */
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private boolean stopping;

    private ExecInput(String requestId, OutputStream stdin, ExecRun.Replies replies) {
        this.requestId = requestId;
        this.stdin = stdin;
        this.replies = replies;
    }

    /** Starts writing the command's input as it comes. */
    static ExecInput start(String requestId, OutputStream stdin, ExecRun.Replies replies) {
        ExecInput input = new ExecInput(requestId, stdin, replies);
        Thread t = new Thread(input::write, "cadre-exec-stdin");
        t.setDaemon(true);
        t.start();
        return input;
    }

    /** Takes one exec-input, or refuses it (an acknowledgement naming why, which changes nothing); never waits. */
    void offer(ExecMessage.ExecInput m) {
        byte[] data;
        try {
            data = m.data() == null ? null : Base64.getDecoder().decode(m.data());
        } catch (IllegalArgumentException e) {
            data = null;
        }
        InputIntake.Verdict verdict = data == null ? new InputIntake.Verdict(false, "input at byte " + m.offset()
                + " is not base64") : intake.accept(m.offset(), data.length, m.end());
        if (verdict.error() != null) {
            LOG.warn("exec {}: input refused: {}", requestId, verdict.error());
            replies.send(new ExecMessage.ExecInputAck(requestId, intake.written(), intake.closed(), verdict.error()));
            return;
        }
        if (!verdict.take()) {
            return; // the input is closed: this was on its way meanwhile
        }
        if (verdict.skip() > 0) {
            data = Arrays.copyOfRange(data, verdict.skip(), data.length);
        }
        synchronized (this) {
            if (data.length > 0) {
                queue.add(data);
            }
            if (m.end()) {
                queue.add(END);
            }
            notifyAll();
        }
    }

    /**
     * Closes the input once what is being written is written, dropping what waits: the run ended, or was resumed
     * by another relay, which cannot send what the earlier one left unsent (protocol.md §13.9).
     */
    void stop() {
        intake.close();
        synchronized (this) {
            queue.clear();
            stopping = true;
            notifyAll();
        }
    }

    private void write() {
        try {
            while (true) {
                byte[] piece;
                synchronized (this) {
                    while (queue.isEmpty() && !stopping) {
                        wait();
                    }
                    if (stopping || queue.peek() == END) {
                        break;
                    }
                    piece = queue.poll();
                }
                stdin.write(piece);
                stdin.flush();
                long written = intake.wrote(piece.length);
                replies.send(new ExecMessage.ExecInputAck(requestId, written, false, null));
            }
        } catch (IOException e) {
            // The command closed its input (it ended, or had enough): the rest is dropped, as ssh drops it.
            LOG.debug("exec {}: input closed by the command after {} bytes: {}", requestId, intake.written(),
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean told = intake.closed();
        intake.close();
        synchronized (this) {
            queue.clear();
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // closed already, with the command's end
        }
        if (!told) {
            replies.send(new ExecMessage.ExecInputAck(requestId, intake.written(), true, null));
        }
    }
}
