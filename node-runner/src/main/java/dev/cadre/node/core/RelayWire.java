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
 * The local socket between {@code cadre-rsh} and its node's runner (protocol.md §13.8). The agent is a short
 * script, so the format is one a few lines of Perl can write and read: the request is netstrings
 * ({@code LENGTH:BYTES,}), each answer a frame of one type byte, a 4-byte big-endian length and the payload.
 * Version 2 adds one field, the run to resume, and the {@link #RUN} frame that names a run: an agent of version 2
 * outlives a restart of its runner by resuming its run with the next one.
 */
public final class RelayWire {
    public static final String VERSION = "cadre-rsh/1";
    /** The version whose agents can resume their run with a restarted runner. */
    public static final String VERSION_RESUMABLE = "cadre-rsh/2";
    /** Far above any real command line (Linux caps a whole argv at 2 MiB); a longer request is refused. */
    public static final int MAX_REQUEST = 1 << 20;
    public static final int MAX_ARGS = 10_000;
    /** Far above the ids relays give ({@link RunResume#newRunId}). */
    public static final int MAX_RUN_ID = 200;
    public static final byte STDOUT = 'o';
    public static final byte STDERR = 'e';
    public static final byte EXIT = 'x';
    /** The run's id (ASCII), first of the answers to a version-2 agent: what it resumes by. */
    public static final byte RUN = 'i';

    private RelayWire() {
    }

    /**
     * What the agent sends: its job's exec variables, as it found them, and its own arguments.
     *
     * @param resume null from a version-1 agent, which cannot resume; else empty for a new run, or the id of the run
     *        (a {@link #RUN} frame's) the agent resumes after its runner's connection broke
     */
    public record Request(String jobId, String attempt, String token, String nodes, List<String> args,
            String resume) {
        public Request {
            args = List.copyOf(args);
        }

        /** A version-1 request. */
        public Request(String jobId, String attempt, String token, String nodes, List<String> args) {
            this(jobId, attempt, token, nodes, args, null);
        }

        /** Whether the agent reads {@link #RUN} frames and resumes by them. */
        public boolean resumable() {
            return resume != null;
        }

        /** Whether this resumes a run an earlier runner started. */
        public boolean resuming() {
            return resume != null && !resume.isEmpty();
        }

        /** The same request, resuming the run {@code runId}. */
        public Request resuming(String runId) {
            return new Request(jobId, attempt, token, nodes, args, runId);
        }

        public byte[] encode() {
            return Netstrings.encode(fields());
        }

        private List<String> fields() {
            List<String> f = new ArrayList<>(List.of(resume == null ? VERSION : VERSION_RESUMABLE, blank(jobId),
                    blank(attempt), blank(token), blank(nodes)));
            if (resume != null) {
                f.add(resume);
            }
            f.add(Integer.toString(args.size()));
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
        if (!VERSION.equals(version) && !VERSION_RESUMABLE.equals(version)) {
            throw new BadRequest("unknown agent protocol '" + printable(version) + "' (this node speaks " + VERSION
                    + " and " + VERSION_RESUMABLE + ")");
        }
        String jobId = netstring(in, budget);
        String attempt = netstring(in, budget);
        String token = netstring(in, budget);
        String nodes = netstring(in, budget);
        String resume = VERSION.equals(version) ? null : netstring(in, budget);
        if (resume != null && resume.length() > MAX_RUN_ID) {
            throw new BadRequest("the run to resume is named by " + resume.length() + " bytes; a run id has at most "
                    + MAX_RUN_ID);
        }
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
        return new Request(jobId, attempt, token, nodes, args, resume);
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

    static String printable(String s) {
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

        public static Frame run(String runId) {
            return new Frame(RUN, runId.getBytes(StandardCharsets.US_ASCII));
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
