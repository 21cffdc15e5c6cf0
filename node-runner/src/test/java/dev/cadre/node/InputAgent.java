package dev.cadre.node;

import dev.cadre.node.core.RelayWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test's agent on a relay's socket, as bin/cadre-rsh is: sends one request, reads the answers on a thread of its
 * own (the output's digest and length, stderr's text, the go and closed signals, the exit), and writes input frames.
 */
final class InputAgent implements AutoCloseable {
    private final SocketChannel socket;
    private final MessageDigest stdout = sha256();
    private final AtomicLong stdoutBytes = new AtomicLong();
    private final ByteArrayOutputStream smallStdout = new ByteArrayOutputStream();
    private final StringBuffer stderr = new StringBuffer();
    private final CompletableFuture<Void> go = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** Input bytes the socket took. */
    final AtomicLong written = new AtomicLong();

    private InputAgent(SocketChannel socket) {
        this.socket = socket;
    }

    static InputAgent start(Path relaySocket, RelayWire.Request request) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(relaySocket));
        InputAgent agent = new InputAgent(socket);
        agent.writeRaw(request.encode());
        Thread t = new Thread(agent::read, "test-agent-answers");
        t.setDaemon(true);
        t.start();
        return agent;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try {
            InputStream in = Channels.newInputStream(socket);
            while (true) {
                RelayWire.Frame f = RelayWire.readFrame(in);
                if (f == null) {
                    exit.completeExceptionally(new IOException("no exit frame; stderr: " + stderr));
                    return;
                }
                switch (f.type()) {
                    case RelayWire.STDOUT -> {
                        synchronized (stdout) {
                            stdout.update(f.payload());
                            if (smallStdout.size() < 4096) {
                                smallStdout.write(f.payload());
                            }
                        }
                        stdoutBytes.addAndGet(f.payload().length);
                    }
                    case RelayWire.STDERR -> stderr.append(new String(f.payload(), StandardCharsets.UTF_8));
                    case RelayWire.GO -> go.complete(null);
                    case RelayWire.CLOSED -> closed.complete(null);
                    case RelayWire.EXIT -> {
                        exit.complete(f.exitCode());
                        return;
                    }
                    default -> {
                        // the run's id
                    }
                }
            }
        } catch (IOException e) {
            exit.completeExceptionally(e);
        }
    }

    void writeRaw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            socket.write(b);
        }
    }

    void data(byte[] bytes) throws IOException {
        writeRaw(new RelayWire.Frame(RelayWire.DATA, bytes).encode().array());
        written.addAndGet(bytes.length);
    }

    void end() throws IOException {
        writeRaw(RelayWire.Frame.empty(RelayWire.END).encode().array());
    }

    boolean told(CompletableFuture<Void> signal, long seconds) {
        try {
            signal.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Whether the relay said GO within the time. */
    boolean go(long seconds) {
        return told(go, seconds);
    }

    boolean wasToldGo() {
        return go.isDone();
    }

    /** Whether the relay said CLOSED. */
    boolean closed() {
        return closed.isDone();
    }

    int exit(long seconds) throws Exception {
        return exit.get(seconds, TimeUnit.SECONDS);
    }

    boolean exited() {
        return exit.isDone();
    }

    byte[] digest() {
        synchronized (stdout) {
            return stdout.digest();
        }
    }

    long stdoutBytes() {
        return stdoutBytes.get();
    }

    String stdoutText() {
        synchronized (stdout) {
            return smallStdout.toString(StandardCharsets.UTF_8);
        }
    }

    String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
