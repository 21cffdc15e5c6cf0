package dev.cadre.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay in front of the broker's CORE port that breaks connections the way a network blip does: the client
 * learns at once that its connection is gone and reconnects (through the relay again), while the broker hears
 * nothing until {@link #endHeld()}, as when it notices a silent peer only at the connection's TTL. The broker then
 * cleans up the old connection after the client has rebuilt everything on a new one.
 */
final class HalfOpenRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int brokerPort;
    private final List<Link> links = new ArrayList<>();
    private final List<Link> held = new ArrayList<>();

    /** One relayed connection; {@code brokerGone} once the broker has closed its side. */
    private static final class Link {
        final Socket client;
        final Socket broker;
        volatile boolean halfOpen;
        volatile boolean brokerGone;

        Link(Socket client, Socket broker) {
            this.client = client;
            this.broker = broker;
        }

        /** Closes both sides, as a broken connection would. */
        void cut() {
            for (Socket s : new Socket[] {client, broker}) {
                try {
                    s.close();
                } catch (IOException e) {
                    // Already closed.
                }
            }
        }
    }

    HalfOpenRelay(int brokerPort) throws IOException {
        this.brokerPort = brokerPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "half-open-relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Closes the client's side of every connection; the broker's sides stay open and silent. */
    void dropClientSides() {
        synchronized (links) {
            for (Link l : links) {
                l.halfOpen = true;
                try {
                    l.client.close();
                } catch (IOException e) {
                    // Already closed: the client has seen its connection fail either way.
                }
                held.add(l);
            }
            links.clear();
        }
    }

    /** Ends the connections the broker still holds (it drops most when the client asks to reattach), as a TTL would. */
    void endHeld() throws IOException {
        synchronized (links) {
            for (Link l : held) {
                if (!l.brokerGone) {
                    l.broker.shutdownOutput();
                }
            }
        }
    }

    /** Whether the broker has closed every connection {@link #endHeld()} ended. */
    boolean heldEnded() {
        synchronized (links) {
            return held.stream().allMatch(l -> l.brokerGone);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Link l = new Link(client, new Socket(InetAddress.getLoopbackAddress(), brokerPort));
                synchronized (links) {
                    links.add(l);
                }
                pump(l, true);
                pump(l, false);
            } catch (IOException e) {
                // Closed, or the broker is down: the client sees its connection fail and reconnects.
            }
        }
    }

    private void pump(Link l, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = (fromClient ? l.client : l.broker).getInputStream()) {
                OutputStream out = (fromClient ? l.broker : l.client).getOutputStream();
                for (int n; (n = in.read(buffer)) > 0; ) {
                    forward(l, out, buffer, n);
                }
            } catch (IOException e) {
                // The client's side went away; a half-open link keeps the broker's side.
            } finally {
                if (!fromClient) {
                    l.brokerGone = true;
                }
                if (!l.halfOpen || !fromClient) {
                    l.cut();
                }
            }
        }, "half-open-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Passes bytes on; on a half-open link the broker's are read and dropped, so it sees a peer that says nothing. */
    private static void forward(Link l, OutputStream out, byte[] buffer, int n) throws IOException {
        if (l.halfOpen) {
            return;
        }
        try {
            out.write(buffer, 0, n);
            out.flush();
        } catch (IOException e) {
            if (!l.halfOpen) {
                throw e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (links) {
            links.forEach(Link::cut);
            held.forEach(Link::cut);
        }
    }
}
