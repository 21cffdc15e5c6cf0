package dev.cadre.protocol;

/**
 * Remote exec, the broker's stand-in for ssh: {@code cadre rsh} sends an exec-request to a node's exec queue
 * and keeps it alive; the node answers on the request's reply-to with exec-started, exec-output chunks in order,
 * and one exec-exit.
 */
public sealed interface ExecMessage extends Message {
    /** The requester's id for this run, unique per request; every answer carries it. */
    String requestId();

    /**
     * Run a command on the node, as {@code ssh HOST COMMAND} would: {@code bash -c COMMAND}.
     *
     * @param token the job-scoped exec token of the attempt; the node refuses a request without the right one
     * @param command the words of the remote command joined by single spaces, as ssh joins them
     */
    record ExecRequest(String requestId, long jobId, int attempt, String token, String command)
            implements ExecMessage {
    }

    /** Sent by the requester at least every keepalive interval; a silent requester's command is killed. */
    record ExecKeepalive(String requestId) implements ExecMessage {
    }

    /** The command runs, as the leader of its own process group. */
    record ExecStarted(String requestId, long pid) implements ExecMessage {
    }

    /**
     * A piece of the command's output, in order per stream.
     *
     * @param stream {@code stdout} or {@code stderr}
     * @param data the bytes, base64-encoded (output need not be text)
     */
    record ExecOutput(String requestId, String stream, String data) implements ExecMessage {
    }

    /**
     * The end: the command's exit code, or the signal that killed it, or why it never ran.
     *
     * @param exitCode the exit status as ssh reports it: the code, 128+signal for a signal, 255 when the node
     *        refused or could not run the command
     * @param signal the signal that ended the command, 0 when it exited by itself
     * @param error why the node refused, could not run or killed the command; null when it ran to its end
     * @param killedFor {@link JobState#OUT_OF_MEMORY} when the node is killing the command because the job's
     *        processes there hold more than its memory request ({@code error} names the node and the figures), the
     *        job's attempt to end so; null otherwise
     * @param usage what the command's processes used on its node, for the job's accounting; null when the node could
     *        not tell (it never ran, or ended while no node-runner watched it)
     */
    record ExecExit(String requestId, int exitCode, int signal, String error, JobState killedFor,
            ResourceUsage usage) implements ExecMessage {
        /** An end that is no kill for the job's memory, with no usage known. */
        public ExecExit(String requestId, int exitCode, int signal, String error) {
            this(requestId, exitCode, signal, error, null, null);
        }

        /** An end with no usage known. */
        public ExecExit(String requestId, int exitCode, int signal, String error, JobState killedFor) {
            this(requestId, exitCode, signal, error, killedFor, null);
        }
    }
}
