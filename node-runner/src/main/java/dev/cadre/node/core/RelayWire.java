package dev.cadre.node.core;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The local socket between {@code cadre-rsh} and its node's runner (protocol.md §13.6). The agent is a short
 * script, so the format is one a few lines of Perl can write and read: the request is netstrings
 * ({@code LENGTH:BYTES,}), each answer a frame of one type byte, a 4-byte big-endian length and the payload.
 */
public final class RelayWire {
    public static final String VERSION = "cadre-rsh/1";
    /** Far above any real command line (Linux caps a whole argv at 2 MiB); a longer request is refused. */
    public static final int MAX_REQUEST = 1 << 20;
    public static final int MAX_ARGS = 10_000;
    public static final byte STDOUT = 'o';
    public static final byte STDERR = 'e';
    public static final byte EXIT = 'x';

    private RelayWire() {
    }

    /** What the agent sends: its job's exec variables, as it found them, and its own arguments. */
    public record Request(String jobId, String attempt, String token, String nodes, List<String> args) {
        public Request {
            args = List.copyOf(args);
        }

        public byte[] encode() {
            return Netstrings.encode(fields());
        }

        private List<String> fields() {
            List<String> f = new ArrayList<>(List.of(VERSION, blank(jobId), blank(attempt), blank(token),
                    blank(nodes), Integer.toString(args.size())));
            f.addAll(args);
            return f;
        }

        private static String blank(String s) {
            return s == null ? "" : s;
        }
    }

    /** Thrown for a request that does not follow the format; the message names the problem. */
    public static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** Reads one request; stops at its last field, so the socket stays open for the answer. */
    public static Request readRequest(InputStream in) throws IOException {
        int[] budget = {MAX_REQUEST};
        String version = netstring(in, budget);
        if (!VERSION.equals(version)) {
            throw new BadRequest("unknown agent protocol '" + printable(version) + "' (this node speaks " + VERSION
                    + ")");
        }
        String jobId = netstring(in, budget);
        String attempt = netstring(in, budget);
        String token = netstring(in, budget);
        String nodes = netstring(in, budget);
        String count = netstring(in, budget);
        int n;
        try {
            n = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new BadRequest("argument count '" + printable(count) + "' is not a number");
        }
        if (n < 0 || n > MAX_ARGS) {
            throw new BadRequest("argument count " + n + " is outside 0-" + MAX_ARGS);
        }
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            args.add(netstring(in, budget));
        }
        return new Request(jobId, attempt, token, nodes, args);
    }

    private static String netstring(InputStream in, int[] budget) throws IOException {
        int length = 0;
        int digits = 0;
        int c;
        while ((c = in.read()) != ':') {
            if (c < 0) {
                throw new EOFException("the agent's request ended early");
            }
            if (c < '0' || c > '9' || ++digits > 7) {
                throw new BadRequest("a field length must be at most 7 digits followed by ':'");
            }
            length = length * 10 + (c - '0');
        }
        if (digits == 0) {
            throw new BadRequest("a field has no length");
        }
        budget[0] -= length + digits + 2;
        if (budget[0] < 0) {
            throw new BadRequest("the request is over " + MAX_REQUEST + " bytes");
        }
        byte[] b = in.readNBytes(length);
        int end = b.length < length ? -1 : in.read();
        if (end < 0) {
            throw new EOFException("the agent's request ended early");
        }
        if (end != ',') {
            throw new BadRequest("a field of " + length + " bytes is not followed by ','");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** One answer frame: output of the remote command, or its exit status (ASCII digits). */
    public record Frame(byte type, byte[] payload) {
        public static Frame exit(int code) {
            return new Frame(EXIT, Integer.toString(code).getBytes(StandardCharsets.US_ASCII));
        }

        public ByteBuffer encode() {
            ByteBuffer b = ByteBuffer.allocate(5 + payload.length);
            b.put(type).putInt(payload.length).put(payload).flip();
            return b;
        }

        public int exitCode() {
            return Integer.parseInt(new String(payload, StandardCharsets.US_ASCII));
        }
    }

    /** Reads a frame; null at a clean end of stream between frames. */
    public static Frame readFrame(InputStream in) throws IOException {
        byte[] head = in.readNBytes(5);
        if (head.length == 0) {
            return null;
        }
        if (head.length < 5) {
            throw new EOFException("an answer frame was cut short");
        }
        ByteBuffer b = ByteBuffer.wrap(head);
        byte type = b.get();
        int length = b.getInt();
        if (length < 0 || length > MAX_REQUEST) {
            throw new BadRequest("an answer frame claims " + length + " bytes");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException("an answer frame was cut short");
        }
        return new Frame(type, payload);
    }

    public static void write(OutputStream out, Frame frame) throws IOException {
        ByteBuffer b = frame.encode();
        out.write(b.array(), 0, b.limit());
    }
}
