package dev.cadre.node.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeHostName;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a job's {@code cadre-rsh} reaches the other nodes of its allocation: the broker and exec account the
 * node's relay uses on the agent's behalf (they stay in the runner), and the variables the agent reads.
 */
public record ExecAccess(String brokerUrl, String user, String password) {
    public static final String JOB_ID = "CADRE_JOB_ID";
    public static final String ATTEMPT = "CADRE_ATTEMPT";
    public static final String TOKEN = "CADRE_EXEC_TOKEN";
    public static final String NODES = "CADRE_EXEC_NODES";
    public static final String SOCKET = "CADRE_EXEC_SOCKET";

    /**
     * The variables for a job's script and for every command exec'd for it on any of its nodes, so that an
     * MPI daemon started remotely can start others in turn (Open MPI's tree spawn).
     *
     * @param relaySocket the relay of the node the script or command runs on
     */
    public static Map<String, String> environment(long jobId, int attempt, String token, Allocation allocation,
            Path relaySocket) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(JOB_ID, Long.toString(jobId));
        env.put(ATTEMPT, Integer.toString(attempt));
        env.put(TOKEN, token);
        // A host name with ',' or '=' would break the pairs (a node older than the host-name rule may have
        // one): such a node is listed by its id alone, which the agent takes as well.
        env.put(NODES, allocation.nodes().stream()
                .map(n -> (NodeHostName.isValid(n.hostname()) ? n.hostname() : n.nodeId()) + "=" + n.nodeId())
                .collect(Collectors.joining(",")));
        env.put(SOCKET, relaySocket.toString());
        return env;
    }

    /** Host name (or node id) to node id, from {@link #NODES}; malformed pairs are skipped. */
    public static Map<String, String> nodes(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && eq < pair.length() - 1) {
                String id = pair.substring(eq + 1);
                out.put(pair.substring(0, eq), id);
                out.putIfAbsent(id, id);
            }
        }
        return out;
    }
}
