package dev.cadre.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A STOMP 1.2 connection over a socket: what a STOMP submitter sends, frame by frame. */
final class StompFrames implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    StompFrames(int port, Credentials who) throws IOException {
        this(new Socket("127.0.0.1", port), who);
    }

    /** Over a socket of the caller's, a TLS one say; closed with this. */
    StompFrames(Socket socket, Credentials who) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        send("CONNECT\naccept-version:1.2\nhost:cadre\nlogin:" + who.user() + "\npasscode:" + who.password() + "\n\n");
        String connected = read();
        if (!connected.startsWith("CONNECTED")) {
            throw new IOException("STOMP connect refused: " + connected);
        }
    }

    /** Sends a persistent message with a receipt to /queue/QUEUE; returns the broker's answer (RECEIPT or ERROR). */
    String sendPersistent(String queue, String headers, byte[] body) throws IOException {
        out.write(("SEND\ndestination:/queue/" + queue + "\npersistent:true\ncontent-length:" + body.length + "\n"
                + headers + "receipt:1\n\n").getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.write(0);
        out.flush();
        return read();
    }

    void send(String frame) throws IOException {
        out.write((frame + "\0").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next frame, its body included. */
    String read() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int b = in.read(); b != 0; b = in.read()) {
            if (b < 0) {
                throw new IOException("the broker closed the connection after: " + text);
            }
            text.append((char) b);
        }
        return text.toString().stripLeading();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
