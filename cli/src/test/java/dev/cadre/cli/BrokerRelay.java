package dev.cadre.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay in front of the broker's CORE port that can break a connection at a chosen moment: after a client
 * sent a given text, it holds back everything the broker says on that connection (the send's confirmation
 * included), until {@link #cutAll()} closes it. The broker has the request by then, and the client learns only
 * that its connection failed: the outcome of its send is unknown, as when a head dies just after storing it.
 */
final class BrokerRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int brokerPort;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile byte[][] marker;
    private volatile boolean holding;

    BrokerRelay(int brokerPort) throws IOException {
        this.brokerPort = brokerPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "broker-relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Once a client sends the text (as CORE encodes a text body, or as plain bytes), its answers are held back. */
    void holdAnswersAfter(String text) {
        StringBuilder wide = new StringBuilder();
        for (char c : text.toCharArray()) {
            wide.append(c).append('\0');
        }
        marker = new byte[][] {text.getBytes(StandardCharsets.ISO_8859_1),
                wide.toString().getBytes(StandardCharsets.ISO_8859_1)};
    }

    boolean holding() {
        return holding;
    }

    /** Closes every relayed connection; connections made after this are relayed as usual. */
    void cutAll() {
        marker = null;
        synchronized (sockets) {
            sockets.forEach(BrokerRelay::closeQuietly);
            sockets.clear();
        }
        holding = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(broker);
                }
                boolean[] held = {false};
                pump(client, broker, true, held);
                pump(broker, client, false, held);
            } catch (IOException e) {
                // Closed, or the broker is down: the client sees its connection fail and reconnects.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient, boolean[] held) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[65536];
            byte[] seen = new byte[0];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (fromClient) {
                        // The last bytes of the previous read go along, in case the text spans two reads.
                        seen = tail(seen, buffer, n);
                        if (contains(seen, marker)) {
                            held[0] = true;
                            holding = true;
                        }
                    } else if (held[0]) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side closed: close the other, as a broken connection would.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "broker-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static byte[] tail(byte[] before, byte[] read, int n) {
        int keep = Math.min(before.length, 512);
        byte[] out = new byte[keep + n];
        System.arraycopy(before, before.length - keep, out, 0, keep);
        System.arraycopy(read, 0, out, keep, n);
        return out;
    }

    private static boolean contains(byte[] haystack, byte[][] needles) {
        if (needles == null) {
            return false;
        }
        for (byte[] needle : needles) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
