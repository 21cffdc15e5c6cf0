package dev.cadre.node.core;

import dev.cadre.protocol.ExecMessage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an agent's {@link RelayWire.Request} off its socket. The agent runs inside a job, so nothing it sends is
 * trusted: every length is checked against what is left of {@link RelayWire#MAX_REQUEST} before its bytes are read,
 * and each problem is a {@link RelayWire.BadRequest} naming it. Reading stops at the request's last field, so the
 * socket stays open for the answer.
 */
public final class RelayRequestReader {
    private final InputStream in;
    /** What the rest of the request may take, framing included. */
    private int budget = RelayWire.MAX_REQUEST;

    private RelayRequestReader(InputStream in) {
        this.in = in;
    }

    /** Reads one request, of any version this node speaks. */
    public static RelayWire.Request read(InputStream in) throws IOException {
        return new RelayRequestReader(in).request();
    }

    private RelayWire.Request request() throws IOException {
        String version = netstring();
        boolean withTask = RelayWire.VERSION_TASK.equals(version);
        if (!RelayWire.VERSION.equals(version) && !RelayWire.VERSION_RESUMABLE.equals(version)
                && !RelayWire.VERSION_INPUT.equals(version) && !withTask) {
            throw new RelayWire.BadRequest("unknown agent protocol '" + RelayWire.printable(version)
                    + "' (this node speaks " + RelayWire.VERSION + ", " + RelayWire.VERSION_RESUMABLE + ", "
                    + RelayWire.VERSION_INPUT + " and " + RelayWire.VERSION_TASK + ")");
        }
        String jobId = netstring();
        String attempt = netstring();
        String token = netstring();
        String nodes = netstring();
        String resume = RelayWire.VERSION.equals(version) ? null : netstring();
        if (resume != null && resume.length() > RelayWire.MAX_RUN_ID) {
            throw new RelayWire.BadRequest("the run to resume is named by " + resume.length()
                    + " bytes; a run id has at most " + RelayWire.MAX_RUN_ID);
        }
        Boolean input = null;
        if (RelayWire.VERSION_INPUT.equals(version) || withTask) {
            String announced = netstring();
            if (!announced.equals("0") && !announced.equals("1")) {
                throw new RelayWire.BadRequest("the input field is '" + RelayWire.printable(announced)
                        + "'; it is 1 (the agent sends its standard input) or 0");
            }
            input = announced.equals("1");
        }
        ExecMessage.StepTask task = withTask ? task() : null;
        String count = netstring();
        int n;
        try {
            n = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new RelayWire.BadRequest("argument count '" + RelayWire.printable(count) + "' is not a number");
        }
        if (n < 0 || n > RelayWire.MAX_ARGS) {
            throw new RelayWire.BadRequest("argument count " + n + " is outside 0-" + RelayWire.MAX_ARGS);
        }
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            args.add(netstring());
        }
        return new RelayWire.Request(jobId, attempt, token, nodes, args, resume, input, task);
    }

    /** A version-4 request's task: its numbers read here, its words checked where the node admits the command. */
    private ExecMessage.StepTask task() throws IOException {
        Integer localId = number("localId", false);
        Integer tasksOnNode = number("tasksOnNode", false);
        Integer globalId = number("globalId", false);
        Integer cpusPerTask = number("cpusPerTask", true);
        return new ExecMessage.StepTask(localId, tasksOnNode, globalId, cpusPerTask, word(), word(), word());
    }

    private Integer number(String field, boolean optional) throws IOException {
        String text = netstring();
        if (optional && text.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw new RelayWire.BadRequest("the task's " + field + " '" + RelayWire.printable(text)
                    + "' is not a number");
        }
    }

    private String word() throws IOException {
        String text = netstring();
        return text.isEmpty() ? null : text;
    }

    private String netstring() throws IOException {
        int length = 0;
        int digits = 0;
        int c;
        while ((c = in.read()) != ':') {
            if (c < 0) {
                throw new EOFException("the agent's request ended early");
            }
            if (c < '0' || c > '9' || ++digits > 7) {
                throw new RelayWire.BadRequest("a field length must be at most 7 digits followed by ':'");
            }
            length = length * 10 + (c - '0');
        }
        if (digits == 0) {
            throw new RelayWire.BadRequest("a field has no length");
        }
        budget -= length + digits + 2;
        if (budget < 0) {
            throw new RelayWire.BadRequest("the request is over " + RelayWire.MAX_REQUEST + " bytes");
        }
        byte[] b = in.readNBytes(length);
        int end = b.length < length ? -1 : in.read();
        if (end < 0) {
            throw new EOFException("the agent's request ended early");
        }
        if (end != ',') {
            throw new RelayWire.BadRequest("a field of " + length + " bytes is not followed by ','");
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
