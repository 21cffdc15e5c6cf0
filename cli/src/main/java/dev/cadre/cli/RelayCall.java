package dev.cadre.cli;

import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.RelayWire;
import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.ExecMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One command run on a node of the current job through this node's exec relay (protocol.md §13.8): what
 * cadre-rsh does, for {@code cadre rsh} and for each task srun starts. The job's exec variables say where the
 * relay is and vouch for the job. A connection that breaks before the command's exit (the node's runner stopped or
 * restarted) is made again, and the run resumed with the next runner (§13.9, {@link RelayReconnect}). Given input,
 * the call announces it (version 3) and copies it to the relay ({@link RelayInputCopy}) while it reads the relay's
 * answers.
 */
final class RelayCall implements AutoCloseable {
    /** Where the command's output goes as it comes. */
    interface Output {
        void stdout(byte[] data) throws IOException;

        void stderr(byte[] data) throws IOException;
    }

    private final String socket;
    private final RelayWire.Request request;
    private final Clock clock;
    /** The command's input, or none. */
    private final RelayInputCopy input;
    private volatile SocketChannel relay;
    private volatile boolean closed;
    /** The run's id, from the relay's first answer; null until then, and then nothing can be resumed. */
    private String runId;

    private RelayCall(String socket, RelayWire.Request request, SocketChannel relay, Clock clock,
            RelayInputCopy input) {
        this.socket = socket;
        this.request = request;
        this.relay = relay;
        this.clock = clock;
        this.input = input;
    }

    /**
     * Connects to the relay and hands it the job's exec variables and ssh-style arguments ({@code HOST WORD...}).
     *
     * @throws IOException naming what failed: no relay in the environment, or none listening
     */
    static RelayCall start(Map<String, String> env, List<String> args) throws IOException {
        return start(env, args, Clock.systemUTC(), null, null);
    }

    /**
     * The same; the command reads {@code input}, or /dev/null for null. The call closes it once done with it, perhaps
     * while its copy reads it: its close must wake that reader, or do nothing.
     */
    static RelayCall start(Map<String, String> env, List<String> args, InputStream input) throws IOException {
        return start(env, args, Clock.systemUTC(), input, null);
    }

    /**
     * The same, for a task of an srun step ({@code task}, null for none), which its node gives its share of the job's
     * CPUs and GPUs: the request is of version 4 (protocol.md 13.8).
     */
    static RelayCall start(Map<String, String> env, List<String> args, InputStream input, ExecMessage.StepTask task)
            throws IOException {
        return start(env, args, Clock.systemUTC(), input, task);
    }

    /** The same; {@code clock} times the wait for a restarted runner. */
    static RelayCall start(Map<String, String> env, List<String> args, Clock clock) throws IOException {
        return start(env, args, clock, null, null);
    }

    private static RelayCall start(Map<String, String> env, List<String> args, Clock clock, InputStream input,
            ExecMessage.StepTask task) throws IOException {
        String socket = env.get(ExecAccess.SOCKET);
        if (socket == null || socket.isEmpty()) {
            throw new IOException("not inside a Cadre job: " + ExecAccess.SOCKET + " is not set");
        }
        RelayWire.Request request = new RelayWire.Request(env.get(ExecAccess.JOB_ID), env.get(ExecAccess.ATTEMPT),
                env.get(ExecAccess.TOKEN), env.get(ExecAccess.NODES), args, "");
        RelayInputCopy copy = new RelayInputCopy(input);
        // Version 2 when there is no input, as before: a relay of any version takes it.
        request = copy.given() ? request.withInput(true) : request;
        request = task == null ? request : request.withTask(task);
        try {
            return new RelayCall(socket, request, connect(socket, request), clock, copy);
        } catch (IOException e) {
            copy.stop();
            throw e;
        }
    }

    private static SocketChannel connect(String socket, RelayWire.Request request) throws IOException {
        SocketChannel relay = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            relay.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            relay.close();
            throw new IOException("cannot reach this node's runner at " + socket + ": " + e.getMessage(), e);
        }
        ByteBuffer sent = ByteBuffer.wrap(request.encode());
        try {
            while (sent.hasRemaining()) {
                relay.write(sent);
            }
        } catch (IOException e) {
            relay.close();
            throw new IOException("the node's runner went away: " + e.getMessage(), e);
        }
        return relay;
    }

    /**
     * Copies the command's output until it exits, resuming the run when the relay's connection breaks.
     *
     * @return its exit status, as ssh reports it (128 + N for signal N, 255 when it could not run)
     * @throws IOException when the relay's answer ends or breaks before the exit status, and the run cannot be
     *     resumed: the relay never named it, the call was closed, or no runner took it up in time
     */
    int await(Output output) throws IOException {
        while (true) {
            IOException broken;
            try {
                return follow(output);
            } catch (BadAnswer e) {
                throw e;
            } catch (IOException e) {
                broken = e;
            }
            if (closed || runId == null) {
                throw new IOException(broken.getMessage() + (closed ? "" : ", and it named no run to resume"), broken);
            }
            resume(broken, output);
        }
    }

    /** The relay's answers on the current connection, up to the exit status. */
    private int follow(Output output) throws IOException {
        InputStream in = Channels.newInputStream(relay);
        while (true) {
            RelayWire.Frame frame;
            try {
                frame = RelayWire.readFrame(in);
            } catch (RelayWire.BadRequest e) {
                throw new BadAnswer(e.getMessage());
            }
            if (frame == null) {
                throw new IOException("the node's runner closed the connection before the command's exit");
            }
            switch (frame.type()) {
                case RelayWire.STDOUT -> output.stdout(frame.payload());
                case RelayWire.STDERR -> output.stderr(frame.payload());
                case RelayWire.RUN -> runId = new String(frame.payload(), StandardCharsets.US_ASCII);
                case RelayWire.GO -> input.start(relay);
                case RelayWire.CLOSED -> input.stop();
                case RelayWire.EXIT -> {
                    return frame.exitCode();
                }
                default -> throw new BadAnswer("unknown answer frame '" + (char) frame.type()
                        + "' from the node's runner");
            }
        }
    }

    /**
     * The local terminal's new size, for the command's pseudo-terminal (srun --pty): a resize frame beside the input,
     * which the relay sends on as exec-resize (protocol.md 13.11). Dropped before the relay's GO, and once the
     * connection is gone.
     */
    void resize(TerminalSize size) {
        if (!closed) {
            input.resize(size);
        }
    }

    /** Connects to the socket again, as {@link RelayReconnect} paces it, and hands the relay the run to resume. */
    private void resume(IOException broken, Output output) throws IOException {
        relay.close();
        if (input.cutShort()) {
            // The next relay cannot know what of it reached the command: its input is closed (protocol.md 13.9).
            input.stop();
            output.stderr(("cadre rsh: the node's runner restarted before the command's input was all sent; its"
                    + " standard input is closed\n").getBytes(StandardCharsets.UTF_8));
        }
        RelayReconnect schedule = new RelayReconnect(clock.instant());
        IOException last = broken;
        for (int tries = 0; ; tries++) {
            Duration pause = schedule.pauseBefore(tries, clock.instant());
            if (pause == null || closed) {
                throw new IOException(broken.getMessage() + ", and no runner took run " + runId + " up within "
                        + RelayReconnect.LIMIT.toSeconds() + " s (last: " + last.getMessage() + ")", broken);
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while resuming run " + runId, e);
            }
            try {
                relay = connect(socket, request.resuming(runId));
            } catch (IOException e) {
                last = e;
                continue;
            }
            if (closed) {
                relay.close();
            }
            return;
        }
    }

    /** An answer no restart explains: not resumed. */
    private static final class BadAnswer extends IOException {
        BadAnswer(String message) {
            super(message);
        }
    }

    /** Hangs up: the relay stops keeping the command alive, and its node kills it (protocol.md §13.4). */
    @Override
    public void close() throws IOException {
        closed = true;
        relay.close();
        input.stop();
    }
}
