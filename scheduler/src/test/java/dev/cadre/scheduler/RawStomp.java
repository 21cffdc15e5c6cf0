package dev.cadre.scheduler;

import dev.cadre.broker.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A STOMP 1.2 client written from docs/protocol.md 11.3 alone, over a plain socket, as a user without a STOMP library
 * writes one: header values are sent exactly as given, with no escaping.
 */
final class RawStomp implements AutoCloseable {
    /** A frame as read: its command, its headers (the first of a repeated one) and its body. */
    record Frame(String command, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private int receipts;

    RawStomp(int port, Credentials who) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        write("CONNECT\naccept-version:1.2\nhost:cadre\nlogin:" + who.user() + "\npasscode:" + who.password()
                + "\n\n", new byte[0]);
        Frame connected = read();
        if (!connected.command().equals("CONNECTED")) {
            throw new IOException("STOMP connect refused: " + connected);
        }
    }

    /** SUBSCRIBE with a receipt; returns the broker's answer (RECEIPT or ERROR). */
    Frame subscribe(String destination) throws IOException {
        return subscribe(destination, "");
    }

    /**
     * SUBSCRIBE with a receipt and extra headers (a {@code selector}, say); returns the broker's answer.
     *
     * @param headers extra header lines, each ending in a newline
     */
    Frame subscribe(String destination, String headers) throws IOException {
        write("SUBSCRIBE\nid:" + (++receipts) + "\ndestination:" + destination + "\n" + headers + "ack:auto\nreceipt:r"
                + receipts + "\n\n", new byte[0]);
        return read();
    }

    /**
     * SEND with a receipt; a body sent as bytes carries content-length, one sent as text does not.
     *
     * @param headers extra header lines, each ending in a newline
     */
    Frame send(String destination, String headers, byte[] body, boolean asBytes) throws IOException {
        write("SEND\ndestination:" + destination + "\n" + headers + (asBytes ? "content-length:" + body.length + "\n"
                : "") + "receipt:r" + (++receipts) + "\n\n", body);
        return read();
    }

    private void write(String head, byte[] body) throws IOException {
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.write(0);
        out.flush();
    }

    /** The next frame; heart-beats (bare end-of-lines) between frames are skipped. */
    Frame read() throws IOException {
        String command = line();
        while (command.isEmpty()) {
            command = line();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.putIfAbsent(header.substring(0, colon), header.substring(colon + 1));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
            next();
        } else {
            for (int b = next(); b != 0; b = next()) {
                body.write(b);
            }
        }
        return new Frame(command, headers, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = next(); b != '\n'; b = next()) {
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("the broker closed the connection");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
