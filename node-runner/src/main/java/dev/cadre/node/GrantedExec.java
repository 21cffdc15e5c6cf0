package dev.cadre.node;

import dev.cadre.node.core.ExecTarget;
import dev.cadre.node.core.RunResume;
import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.ExecMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * A command run on a node of one's own running job from outside it (srun --pty, salloc at a terminal, srun with
 * piped input; cli/README.md): the exec request a job's relay would send (protocol.md 13.3), sent over the
 * client's own broker connection with the token the head granted the job's user (exec-grant, 5.10), kept alive while
 * it runs, its output handed over as it comes and, given input, that input sent as exec-input within the relay's
 * window (13.10). The node checks the token as it checks any agent's. The connection reconnects by itself when the
 * broker goes away and comes back; {@link #relinked} then sends the input again that may have been lost.
 */
public final class GrantedExec implements AutoCloseable {
    /** Where the command's output goes as it comes. */
    public interface Output {
        void stdout(byte[] data) throws IOException;

        void stderr(byte[] data) throws IOException;
    }

    /**
     * How the run ended.
     *
     * @param exitCode the command's exit status as ssh reports it (128 + N for signal N); 255 when it could not run
     * @param failure why it did not run or was not heard to its end, else null
     */
    public record Outcome(int exitCode, String failure) {
    }

    /** The job's attempt and token as exec-grant gave them, and the node to run on. */
    public record Grant(long jobId, int attempt, String token, String host, String nodeId) {
    }

    private final Connection connection;
    private final ExecClient client;
    /**
     * The one thread that sends a run's unacknowledged input again after each relink; started at the first, ended
     * with this exec.
     */
    private final ScheduledExecutorService resends = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-exec-input-resend");
        t.setDaemon(true);
        return t;
    });
    /** The input of the run under way, which its terminal's resizes go beside; null when none runs with input. */
    private volatile StreamInput current;

    /** @param connection the client's broker connection, which stays the caller's to close */
    public GrantedExec(Connection connection) throws JMSException {
        this.connection = connection;
        this.client = new ExecClient(connection);
    }

    /**
     * Runs {@code command} with bash on the grant's node, in the job's working directory, and copies its output until
     * it exits.
     *
     * @param input what the command reads, forwarded as it comes (a terminal's keys, a pipe), or null for /dev/null;
     *        read on a thread of its own, which may stay blocked in a read after the run
     * @param abandoned true once nobody waits any more: the run is released and the node kills the command
     */
    public Outcome run(Grant grant, String command, InputStream input, Output output, BooleanSupplier abandoned)
            throws JMSException, IOException {
        String requestId = RunResume.newRunId(grant.jobId(), grant.attempt(), UUID.randomUUID());
        ExecTarget target = new ExecTarget(grant.host(), grant.nodeId(), new ExecMessage.ExecRequest(requestId,
                grant.jobId(), grant.attempt(), grant.token(), command, input == null ? null : true));
        ExecClient.Output to = new ExecClient.Output() {
            @Override
            public void stdout(byte[] data) throws IOException {
                output.stdout(data);
            }

            @Override
            public void stderr(byte[] data) throws IOException {
                output.stderr(data);
            }
        };
        ExecClient.Outcome outcome;
        if (input == null) {
            outcome = client.run(target, to, abandoned);
        } else {
            StreamInput forwarded = new StreamInput(input, grant.host(), requestId,
                    RelayInput.Sender.open(connection, grant.nodeId()), to, resends);
            current = forwarded;
            try {
                outcome = client.run(target, to, abandoned, killed -> { }, forwarded);
            } finally {
                current = null;
                forwarded.end();
            }
        }
        return new Outcome(outcome.exitCode(), outcome.failure());
    }

    /**
     * The local terminal changed size: the run's command, given input, is told (exec-resize, protocol.md 13.11), and
     * its node gives its pseudo-terminal that size. From any thread; nothing happens when no run takes input.
     */
    public void resize(TerminalSize size) {
        StreamInput in = current;
        if (in != null) {
            in.resize(size);
        }
    }

    /**
     * The client's broker connection is back after a break (the head restarted, the network blipped): the run's input
     * that the node has not acknowledged is sent again, the node skipping what it took (protocol.md 13.10). Its
     * output and keepalives go on over the same connection, whose reply queue the broker made again; what the command
     * wrote while the broker was away is lost.
     */
    public void relinked() {
        StreamInput in = current;
        if (in != null) {
            in.relinked();
        }
    }

    @Override
    public void close() throws JMSException {
        resends.shutdownNow();
        client.close();
    }
}
