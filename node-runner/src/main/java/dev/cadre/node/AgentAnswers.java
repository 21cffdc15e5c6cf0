package dev.cadre.node;

import dev.cadre.node.core.RelayWire;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * What the relay writes to one agent's socket: {@link RelayWire} frames, the command's output among them. Whole
 * frames, one at a time: the thread that reads the agent's input writes too ({@link RelayInput}).
 */
final class AgentAnswers implements ExecClient.Output {
    private final OutputStream out;

    AgentAnswers(SocketChannel agent) {
        // Not Channels.newOutputStream: its writes wait for the lock the hang-up watcher's read holds.
        this.out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    agent.write(buffer);
                }
            }
        };
    }

    @Override
    public synchronized void stdout(byte[] data) throws IOException {
        RelayWire.write(out, new RelayWire.Frame(RelayWire.STDOUT, data));
    }

    @Override
    public synchronized void stderr(byte[] data) throws IOException {
        RelayWire.write(out, new RelayWire.Frame(RelayWire.STDERR, data));
    }

    /** Names the run, which the agent resumes by. */
    synchronized void run(String runId) throws IOException {
        RelayWire.write(out, RelayWire.Frame.run(runId));
    }

    /** Tells a version-3 agent to send its input ({@link RelayWire#GO}) or to stop ({@link RelayWire#CLOSED}). */
    synchronized void signal(byte type) throws IOException {
        RelayWire.write(out, RelayWire.Frame.empty(type));
    }

    synchronized void exit(int code) throws IOException {
        RelayWire.write(out, RelayWire.Frame.exit(code));
    }

    /** The failure on the agent's stderr, then exit 255. */
    void refuse(String reason) throws IOException {
        exit(ExecClient.fail(this, reason).exitCode());
    }

    /** Over the limit: answered at once, so a runaway job cannot exhaust the runner's threads. */
    static void refuse(SocketChannel agent, String reason) throws IOException {
        ByteBuffer error = new RelayWire.Frame(RelayWire.STDERR, ("cadre rsh: " + reason + "\n")
                .getBytes(StandardCharsets.UTF_8)).encode();
        ByteBuffer exit = RelayWire.Frame.exit(ExecClient.UNREACHABLE).encode();
        while (error.hasRemaining() || exit.hasRemaining()) {
            agent.write(error.hasRemaining() ? error : exit);
        }
    }
}
