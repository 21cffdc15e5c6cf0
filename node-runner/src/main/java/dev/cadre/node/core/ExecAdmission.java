package dev.cadre.node.core;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.NodeCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Whether a node runs an exec request: only for an attempt it holds, with that attempt's token. Pure. */
public final class ExecAdmission {
    public static final int MAX_COMMAND_CHARS = 1 << 20;

    private ExecAdmission() {
    }

    /**
     * @param held the place-job this node received for the request's job and attempt, or null if none
     * @return why the request is refused, or null when it may run
     */
    public static String refusal(ExecMessage.ExecRequest request, NodeCommand.PlaceJob held, String nodeId) {
        if (request.requestId() == null || request.requestId().isBlank() || request.requestId().length() > 256) {
            return "the request has no usable requestId";
        }
        if (request.command() == null || request.command().isBlank()) {
            return "the request has no command";
        }
        if (request.command().length() > MAX_COMMAND_CHARS) {
            return "the command is " + request.command().length() + " characters; the limit is " + MAX_COMMAND_CHARS;
        }
        if (request.command().indexOf('\0') >= 0) {
            return "the command contains a NUL character";
        }
        if (held == null || !held.allocation().includes(nodeId)) {
            return "job " + request.jobId() + " attempt " + request.attempt() + " is not running on node " + nodeId;
        }
        if (request.token() == null || !MessageDigest.isEqual(request.token().getBytes(StandardCharsets.UTF_8),
                held.execToken().getBytes(StandardCharsets.UTF_8))) {
            return "wrong exec token for job " + request.jobId() + " attempt " + request.attempt();
        }
        return null;
    }
}
