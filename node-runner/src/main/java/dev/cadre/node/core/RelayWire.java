package dev.cadre.node.core;

import dev.cadre.protocol.ExecMessage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local socket between {@code cadre-rsh} and its node's runner (protocol.md §13.8). The agent is a short
 * script, so the format is one a few lines of Perl can write and read: the request is netstrings
 * ({@code LENGTH:BYTES,}; {@link RelayRequestReader} reads it), each answer a frame of one type byte, a 4-byte
 * big-endian length and the payload.
 * Version 2 adds one field, the run to resume, and the {@link #RUN} frame that names a run: an agent of version 2
 * outlives a restart of its runner by resuming its run with the next one. Version 3 adds the input field: an agent
 * that announces input sends its standard input after the request as {@link #DATA} frames and one {@link #END},
 * from the relay's {@link #GO} on (never before, so that a command given no input leaves the agent's untouched), and
 * stops at {@link #CLOSED}; an agent at a terminal sends its new sizes among them as {@link #RESIZE} frames.
 * Version 4 adds, after the input field, the step task the command is ({@link #TASK_FIELDS} fields), which srun sends
 * for each of its tasks.
 */
public final class RelayWire {
    public static final String VERSION = "cadre-rsh/1";
    /** The version whose agents can resume their run with a restarted runner. */
    public static final String VERSION_RESUMABLE = "cadre-rsh/2";
    /** The version whose agents may send their standard input. */
    public static final String VERSION_INPUT = "cadre-rsh/3";
    /**
     * The version whose requests say which task of an srun step the command is (srun's own calls, {@link
     * #taskFields}), for the task's share of its job's CPUs and GPUs on the node.
     */
    public static final String VERSION_TASK = "cadre-rsh/4";
    /** How many fields a version-4 request's task takes. */
    public static final int TASK_FIELDS = 7;
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
    /** To a version-3 agent that announced input: send it now (the command's standard input is a pipe). */
    public static final byte GO = 'g';
    /** To a version-3 agent: the command takes no more input (it ended, or closed it); send no more. */
    public static final byte CLOSED = 'c';
    /** From a version-3 agent, after GO: bytes of its standard input, at most {@link #MAX_DATA}. */
    public static final byte DATA = 'd';
    /** From a version-3 agent, after GO: its standard input ended; nothing follows but {@link #RESIZE}s. */
    public static final byte END = 'z';
    /**
     * From a version-3 agent, after GO: its terminal's new size, {@code ROWS COLS} in ASCII ({@link TerminalSize}),
     * for the command's pseudo-terminal (srun --pty); no input.
     */
    public static final byte RESIZE = 'w';
    /** The most bytes of one {@link #DATA} frame, as of one exec-input message. */
    public static final int MAX_DATA = 64 * 1024;

    private RelayWire() {
    }

    /**
     * What the agent sends: its job's exec variables, as it found them, and its own arguments.
     *
     * @param resume null from a version-1 agent, which cannot resume; else empty for a new run, or the id of the run
     *        (a {@link #RUN} frame's) the agent resumes after its runner's connection broke
     * @param input null from an agent before version 3, which sends nothing after its request; else whether this one
     *        sends its standard input (from {@link #GO} on)
     * @param task which task of an srun step the command is (version 4, from srun alone), or null
     */
    public record Request(String jobId, String attempt, String token, String nodes, List<String> args,
            String resume, Boolean input, ExecMessage.StepTask task) {
        public Request {
            args = List.copyOf(args);
            if (input != null && resume == null) {
                throw new IllegalArgumentException("a version-3 request has a run field");
            }
            if (task != null && input == null) {
                throw new IllegalArgumentException("a version-4 request has a run and an input field");
            }
        }

        /** A request of version 3 or before. */
        public Request(String jobId, String attempt, String token, String nodes, List<String> args, String resume,
                Boolean input) {
            this(jobId, attempt, token, nodes, args, resume, input, null);
        }

        /** A version-1 request. */
        public Request(String jobId, String attempt, String token, String nodes, List<String> args) {
            this(jobId, attempt, token, nodes, args, null, null);
        }

        /** A version-2 request (or version 1, for a null {@code resume}). */
        public Request(String jobId, String attempt, String token, String nodes, List<String> args, String resume) {
            this(jobId, attempt, token, nodes, args, resume, null);
        }

        /** Whether the agent announced its standard input, which it sends once told {@link #GO}. */
        public boolean sendsInput() {
            return Boolean.TRUE.equals(input);
        }

        /** The same request in version 3, announcing input or not. */
        public Request withInput(boolean sends) {
            return new Request(jobId, attempt, token, nodes, args, resume == null ? "" : resume, sends, task);
        }

        /** The same request in version 4, for the step's task {@code t}. */
        public Request withTask(ExecMessage.StepTask t) {
            return new Request(jobId, attempt, token, nodes, args, resume == null ? "" : resume,
                    input == null ? Boolean.FALSE : input, t);
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
            // What was left of the input when the connection broke is not sent again (protocol.md 13.9).
            return new Request(jobId, attempt, token, nodes, args, runId, input == null ? null : false, task);
        }

        public byte[] encode() {
            return Netstrings.encode(fields());
        }

        private List<String> fields() {
            String version = resume == null ? VERSION : input == null ? VERSION_RESUMABLE
                    : task == null ? VERSION_INPUT : VERSION_TASK;
            List<String> f = new ArrayList<>(List.of(version, blank(jobId), blank(attempt), blank(token),
                    blank(nodes)));
            if (resume != null) {
                f.add(resume);
            }
            if (input != null) {
                f.add(input ? "1" : "0");
            }
            if (task != null) {
                f.addAll(taskFields(task));
            }
            f.add(Integer.toString(args.size()));
            f.addAll(args);
            return f;
        }

        private static String blank(String s) {
            return s == null ? "" : s;
        }
    }

    /** A task's {@link #TASK_FIELDS} fields, in order, each empty where it is null. */
    static List<String> taskFields(ExecMessage.StepTask t) {
        List<String> f = new ArrayList<>();
        for (Object v : new Object[] {t.localId(), t.tasksOnNode(), t.globalId(), t.cpusPerTask(), t.distribution(),
                t.cpuBind(), t.gpuBind()}) {
            f.add(v == null ? "" : v.toString());
        }
        return f;
    }

    /** Thrown for a request that does not follow the format; the message names the problem. */
    public static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
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

        /** A frame of no payload: {@link #GO}, {@link #CLOSED}, {@link #END}. */
        public static Frame empty(byte type) {
            return new Frame(type, new byte[0]);
        }

        public static Frame resize(TerminalSize size) {
            return new Frame(RESIZE, size.toString().getBytes(StandardCharsets.US_ASCII));
        }

        /** A {@link #RESIZE} frame's size; empty when its payload is none. */
        public Optional<TerminalSize> size() {
            return payload.length > 9 ? Optional.empty()
                    : TerminalSize.parse(new String(payload, StandardCharsets.US_ASCII));
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
        return readFrame(in, MAX_REQUEST, "an answer frame");
    }

    /**
     * Reads one of a version-3 agent's input frames: {@link #DATA} of at most {@link #MAX_DATA} bytes, an empty
     * {@link #END}, or a {@link #RESIZE} with a size; null at a clean end of stream between frames (the agent went
     * away).
     */
    public static Frame readInputFrame(InputStream in) throws IOException {
        Frame f = readFrame(in, MAX_DATA, "an input frame");
        if (f != null && f.type() == RESIZE && f.size().isEmpty()) {
            throw new BadRequest("the resize frame '" + printable(new String(f.payload(), StandardCharsets.US_ASCII))
                    + "' is no size (ROWS COLS, each 1-" + TerminalSize.MAX + ")");
        }
        if (f != null && f.type() != DATA && f.type() != RESIZE && !(f.type() == END && f.payload().length == 0)) {
            throw new BadRequest("unknown input frame '" + printable(new String(new byte[] {f.type()},
                    StandardCharsets.ISO_8859_1)) + "' of " + f.payload().length + " bytes (an agent sends 'd' with"
                    + " data, 'w' with its terminal's size and an empty 'z' at the end)");
        }
        return f;
    }

    private static Frame readFrame(InputStream in, int max, String what) throws IOException {
        byte[] head = in.readNBytes(5);
        if (head.length == 0) {
            return null;
        }
        if (head.length < 5) {
            throw new EOFException(what + " was cut short");
        }
        ByteBuffer b = ByteBuffer.wrap(head);
        byte type = b.get();
        int length = b.getInt();
        if (length < 0 || length > max) {
            throw new BadRequest(what + " claims " + Integer.toUnsignedString(length) + " bytes; the most is " + max);
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException(what + " was cut short");
        }
        return new Frame(type, payload);
    }

    public static void write(OutputStream out, Frame frame) throws IOException {
        ByteBuffer b = frame.encode();
        out.write(b.array(), 0, b.limit());
    }
}
