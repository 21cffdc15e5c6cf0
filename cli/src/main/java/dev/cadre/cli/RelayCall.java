package dev.cadre.cli;

import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.RelayWire;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;

/**
 * One command run on a node of the current job through this node's exec relay (protocol.md §13.8): what
 * cadre-rsh does, for {@code cadre rsh} and for each task srun starts. The job's exec variables say where the
 * relay is and vouch for the job.
 */
final class RelayCall implements AutoCloseable {
    /** Where the command's output goes as it comes. */
    interface Output {
        void stdout(byte[] data) throws IOException;

        void stderr(byte[] data) throws IOException;
    }

    private final SocketChannel relay;

    private RelayCall(SocketChannel relay) {
        this.relay = relay;
    }

    /**
     * Connects to the relay and hands it the job's exec variables and ssh-style arguments ({@code HOST WORD...}).
     *
     * @throws IOException naming what failed: no relay in the environment, or none listening
     */
    static RelayCall start(Map<String, String> env, List<String> args) throws IOException {
        String socket = env.get(ExecAccess.SOCKET);
        if (socket == null || socket.isEmpty()) {
            throw new IOException("not inside a Cadre job: " + ExecAccess.SOCKET + " is not set");
        }
        SocketChannel relay = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            relay.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            relay.close();
            throw new IOException("cannot reach this node's runner at " + socket + ": " + e.getMessage(), e);
        }
        RelayWire.Request request = new RelayWire.Request(env.get(ExecAccess.JOB_ID), env.get(ExecAccess.ATTEMPT),
                env.get(ExecAccess.TOKEN), env.get(ExecAccess.NODES), args);
        ByteBuffer sent = ByteBuffer.wrap(request.encode());
        try {
            while (sent.hasRemaining()) {
                relay.write(sent);
            }
        } catch (IOException e) {
            relay.close();
            throw new IOException("the node's runner went away: " + e.getMessage(), e);
        }
        return new RelayCall(relay);
    }

    /**
     * Copies the command's output until it exits.
     *
     * @return its exit status, as ssh reports it (128 + N for signal N, 255 when it could not run)
     * @throws IOException when the relay's answer ends or breaks before the exit status
     */
    int await(Output output) throws IOException {
        InputStream in = Channels.newInputStream(relay);
        while (true) {
            RelayWire.Frame frame = RelayWire.readFrame(in);
            if (frame == null) {
                throw new IOException("the node's runner closed the connection before the command's exit");
            }
            switch (frame.type()) {
                case RelayWire.STDOUT -> output.stdout(frame.payload());
                case RelayWire.STDERR -> output.stderr(frame.payload());
                case RelayWire.EXIT -> {
                    return frame.exitCode();
                }
                default -> throw new IOException("unknown answer frame '" + (char) frame.type()
                        + "' from the node's runner");
            }
        }
    }

    /** Hangs up: the relay stops keeping the command alive, and its node kills it (protocol.md §13.4). */
    @Override
    public void close() throws IOException {
        relay.close();
    }
}
