package dev.cadre.cli;

import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.RelayWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;

/**
 * {@code cadre rsh}: the remote-exec agent, as a Java command. It does what {@code bin/cadre-rsh} (the script
 * MPI launchers are given, since it starts in milliseconds) does: hands its arguments and the job's exec
 * variables to this node's runner over its relay socket, and copies the answer: the output as it comes, then
 * the exit status, 255 when the host is unknown or unreachable.
 */
final class RshCommand {
    private static final int UNREACHABLE = 255;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    RshCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(List<String> args) {
        String socket = env.get(ExecAccess.SOCKET);
        if (socket == null || socket.isEmpty()) {
            return fail("not inside a Cadre job: " + ExecAccess.SOCKET + " is not set");
        }
        RelayWire.Request request = new RelayWire.Request(env.get(ExecAccess.JOB_ID), env.get(ExecAccess.ATTEMPT),
                env.get(ExecAccess.TOKEN), env.get(ExecAccess.NODES), args);
        try (SocketChannel relay = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                relay.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                return fail("cannot reach this node's runner at " + socket + ": " + e.getMessage());
            }
            ByteBuffer sent = ByteBuffer.wrap(request.encode());
            while (sent.hasRemaining()) {
                relay.write(sent);
            }
            return copyAnswer(Channels.newInputStream(relay));
        } catch (IOException e) {
            return fail("the node's runner went away: " + e.getMessage());
        }
    }

    private int copyAnswer(InputStream in) throws IOException {
        while (true) {
            RelayWire.Frame frame = RelayWire.readFrame(in);
            if (frame == null) {
                return fail("the node's runner closed the connection before the command's exit");
            }
            switch (frame.type()) {
                case RelayWire.STDOUT -> copy(out, frame.payload());
                case RelayWire.STDERR -> copy(err, frame.payload());
                case RelayWire.EXIT -> {
                    return frame.exitCode();
                }
                default -> {
                    return fail("unknown answer frame '" + (char) frame.type() + "' from the node's runner");
                }
            }
        }
    }

    private static void copy(OutputStream to, byte[] data) throws IOException {
        to.write(data);
        to.flush();
    }

    private int fail(String message) {
        err.println("cadre rsh: " + message);
        err.flush();
        return UNREACHABLE;
    }
}
