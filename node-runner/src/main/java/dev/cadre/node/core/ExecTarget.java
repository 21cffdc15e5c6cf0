package dev.cadre.node.core;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where an agent's request goes and what it asks for: its command line read as ssh reads it, its host found in
 * the job's allocation, and the exec request for that host's runner.
 */
public record ExecTarget(String host, String nodeId, ExecMessage.ExecRequest request) {

    /** Thrown when the request cannot be sent anywhere; the message names the problem. */
    public static final class Unresolvable extends IllegalArgumentException {
        Unresolvable(String message) {
            super(message);
        }
    }

    public static ExecTarget resolve(RelayWire.Request agent, String requestId) {
        RshCommandLine line;
        try {
            line = RshCommandLine.parse(agent.args());
        } catch (RshCommandLine.BadCommandLine e) {
            throw new Unresolvable(e.getMessage());
        }
        if (agent.jobId().isEmpty() || agent.attempt().isEmpty() || agent.token().isEmpty()) {
            throw new Unresolvable("not inside a Cadre job: " + ExecAccess.JOB_ID + ", " + ExecAccess.ATTEMPT
                    + " and " + ExecAccess.TOKEN + " are not all set");
        }
        long jobId;
        int attempt;
        try {
            jobId = Long.parseLong(agent.jobId());
            attempt = Integer.parseInt(agent.attempt());
        } catch (NumberFormatException e) {
            throw new Unresolvable(ExecAccess.JOB_ID + " or " + ExecAccess.ATTEMPT + " is not a number");
        }
        Map<String, String> nodes = ExecAccess.nodes(agent.nodes());
        String nodeId = nodes.get(line.host());
        if (nodeId == null && line.host().contains(".")) {
            // mpirun may pass a fully qualified name where the allocation has the short one.
            nodeId = nodes.get(line.host().substring(0, line.host().indexOf('.')));
        }
        if (nodeId == null) {
            throw new Unresolvable("host " + line.host() + " is not part of job " + jobId + "'s allocation ("
                    + String.join(", ", nodes.keySet()) + ")");
        }
        // ssh -n, or an agent that sends no input (its own is /dev/null, or it predates input): /dev/null.
        boolean input = agent.sendsInput() && !line.noInput();
        ExecMessage.ExecRequest request = new ExecMessage.ExecRequest(requestId, jobId, attempt, agent.token(),
                line.command(), input ? true : null, agent.task());
        checkEncodedSize(request, line.host());
        return new ExecTarget(line.host(), nodeId, request);
    }

    /**
     * A request the codec cannot carry would be dropped by the node as unreadable, and the agent would wait out
     * its start timeout for an answer that never comes; JSON's escapes can take a command within the agent's
     * limits past the codec's.
     */
    private static void checkEncodedSize(ExecMessage.ExecRequest request, String host) {
        int bytes = MessageCodec.encode(request).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MessageCodec.MAX_BYTES) {
            throw new Unresolvable("the command for " + host + " is too long: its exec request is " + bytes
                    + " bytes as JSON, and the limit of a message is " + MessageCodec.MAX_BYTES + " bytes");
        }
    }
}
