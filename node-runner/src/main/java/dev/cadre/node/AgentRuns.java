package dev.cadre.node;

import dev.cadre.node.core.ExecTarget;
import dev.cadre.node.core.InputWindow;
import dev.cadre.node.core.RelayWire;
import dev.cadre.node.core.RshCommandLine;
import dev.cadre.node.core.RunResume;
import dev.cadre.protocol.ExecMessage;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows each agent's run for {@link ExecRelay}, on the agent's own thread, to the exit its agent is answered with:
 * a new run through {@link ExecClient}, or one the agent resumes after a restart through {@link RunResumption}; its
 * input along ({@link RelayInput}), or else a watch for the agent's hang-up. Before the agent hears the exit, the
 * usage its command told is counted with its attempt ({@link AgentUsage}) and its failure kept for the attempt's
 * error ({@link AgentFailures}).
 */
final class AgentRuns {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRuns.class);

    private final ExecClient client;
    private final AgentFailures failures;
    /** Where the usage its agents' commands' exits tell goes. */
    private final AgentUsage usage;
    private final RunResumption resumption;
    /** Whether the relay still runs: once it has stopped, its runs are left to the next runner's, unanswered. */
    private final BooleanSupplier open;
    /** The most input any one run had unacknowledged at once: within {@link InputWindow#SIZE}. */
    private final AtomicLong largestWindow = new AtomicLong();
    /** The input of the runs under way. */
    private final Set<RelayInput> inputs = ConcurrentHashMap.newKeySet();

    AgentRuns(ExecClient client, AgentFailures failures, AgentUsage usage, BooleanSupplier open) {
        this.client = client;
        this.failures = failures;
        this.usage = usage;
        this.open = open;
        this.resumption = new RunResumption(client, failures, Clock.systemUTC());
    }

    /** The most input one run had unacknowledged at once. */
    long largestInputWindow() {
        return Math.max(largestWindow.get(), liveInputWindow());
    }

    /** The same, of the runs under way. */
    long liveInputWindow() {
        return inputs.stream().mapToLong(RelayInput::peak).max().orElse(0);
    }

    /** Follows the agent's run to its end and answers the agent its exit, unless the relay stopped meanwhile. */
    void relay(SocketChannel agent, InputStream in, RelayWire.Request request, AgentAnswers output)
            throws IOException {
        ExecClient.Outcome outcome;
        String host = hostOf(request);
        // A resuming agent sends no input (protocol.md 13.9), whatever it announces.
        RelayInput input = request.sendsInput() && !request.resuming() ? RelayInput.start(in, output) : null;
        if (input != null) {
            inputs.add(input);
        }
        try {
            AtomicBoolean gone = input != null ? input.gone() : watchForHangUp(agent);
            Consumer<ExecMessage.ExecExit> killed = k -> {
                try {
                    failures.noteKilledForMemory(request.jobId(), request.attempt(), request.token(),
                            "cadre rsh: " + host + ": " + k.error(), k.error());
                } catch (IllegalArgumentException e) {
                    LOG.warn("exec relay: {}", e.getMessage());
                }
            };
            try {
                if (request.resuming()) {
                    outcome = resumption.follow(request, output, gone::get, killed);
                } else {
                    ExecTarget target = ExecTarget.resolve(request, UUID.randomUUID().toString());
                    if (request.resumable()) {
                        target = RunResume.newRun(target, UUID.randomUUID());
                        // Before the request leaves: a run the agent cannot name could not be resumed.
                        output.run(target.request().requestId());
                    }
                    outcome = run(target, output, gone, killed, input);
                }
            } catch (JMSException e) {
                outcome = open.getAsBoolean() ? ExecClient.fail(output, "cannot reach " + host
                        + " through the broker: " + e.getMessage()) : ExecClient.STOPPED;
            }
        } catch (ExecTarget.Unresolvable e) {
            outcome = ExecClient.fail(output, e.getMessage());
        } finally {
            if (input != null) {
                input.end();
                largestWindow.accumulateAndGet(input.peak(), Math::max);
                inputs.remove(input);
            }
        }
        if (outcome == ExecClient.STOPPED || !open.getAsBoolean()) {
            // Hung up on, unanswered: the agent resumes the run with the next runner (protocol.md 13.9).
            return;
        }
        // Counted before the agent hears the exit, so before its job can end: a script that waits for its agents (as
        // mpirun does for its daemons') ends with their commands' usage in its attempt's.
        usage.note(request.jobId(), request.attempt(), request.token(), outcome.usage());
        if (outcome.failure() != null) {
            try {
                failures.note(request.jobId(), request.attempt(), request.token(), "cadre rsh: " + outcome.failure());
            } catch (IllegalArgumentException e) {
                LOG.warn("exec relay: {}", e.getMessage());
            }
        }
        output.exit(outcome.exitCode());
    }

    /** Follows a new run; its agent's input, if it sends any and the command takes it, goes along. */
    private ExecClient.Outcome run(ExecTarget target, AgentAnswers output, AtomicBoolean gone,
            Consumer<ExecMessage.ExecExit> killed, RelayInput input) throws JMSException, IOException {
        if (input == null || !target.request().takesInput()) {
            if (input != null) {
                input.stop(); // ssh -n: the agent keeps its input
            }
            return client.run(target, output, gone::get, killed);
        }
        input.bind(target.host(), target.request().requestId(), RelayInput.Sender.open(client.connection(),
                target.nodeId()));
        return client.run(target, output, gone::get, killed, input);
    }

    /** The host the agent names, for messages. */
    private static String hostOf(RelayWire.Request request) {
        try {
            return RshCommandLine.parse(request.args()).host();
        } catch (RshCommandLine.BadCommandLine e) {
            return "its host";
        }
    }

    /** An agent without input sends nothing after its request: a read returning means it hung up or died. */
    private static AtomicBoolean watchForHangUp(SocketChannel agent) {
        AtomicBoolean gone = new AtomicBoolean();
        Thread t = new Thread(() -> {
            ByteBuffer ignored = ByteBuffer.allocate(256);
            try {
                while (agent.read(ignored) >= 0) {
                    // Bytes after the request mean nothing; only the end of the stream does.
                    ignored.clear();
                }
            } catch (IOException e) {
                // Closed by the relay once the answer is complete (ExecRelay.serve), or reset by the agent's death:
                // both end it.
            }
            gone.set(true);
        }, "cadre-exec-agent-watch");
        t.setDaemon(true);
        t.start();
        return gone;
    }
}
