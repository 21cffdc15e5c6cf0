package dev.cadre.node;

import dev.cadre.node.core.ExecTarget;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.ResourceUsage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The requesting side of remote exec (protocol.md §13): sends an exec request to a node's runner over the
 * broker, keeps it alive while the agent waits, and hands the output over as it arrives. One instance serves
 * every agent of a node, over the node's exec account.
 */
final class ExecClient implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    static final int UNREACHABLE = 255;

    /**
     * How a run ended.
     *
     * @param failure why the command did not run or was not heard to its end (the node refused it, never
     *        answered, or answered garbage); null when it ran and its exit status is its own
     * @param usage what the command used on its node, as its exit said (protocol.md 13.7); null when unknown
     */
    record Outcome(int exitCode, String failure, ResourceUsage usage) {
        Outcome(int exitCode, String failure) {
            this(exitCode, failure, null);
        }
    }

    /** Not heard to its end because this relay stopped: its agent resumes it with the next runner. */
    static final Outcome STOPPED = new Outcome(UNREACHABLE, "the relay stopped");

    /** What a run whose agent sends input hears of it from the node ({@link RelayInput}). */
    interface Input {
        /** Taken no input at all. */
        Input NONE = new Input() {
            @Override
            public void started(boolean takesInput) {
            }

            @Override
            public void acknowledged(ExecMessage.ExecInputAck ack) {
            }
        };

        /** The command runs; with a pipe for its input or with /dev/null. */
        void started(boolean takesInput) throws IOException;

        void acknowledged(ExecMessage.ExecInputAck ack) throws IOException;
    }

    /** Where a command's output and failures go, in the order they arrive. */
    interface Output {
        void stdout(byte[] data) throws IOException;

        void stderr(byte[] data) throws IOException;
    }

    private final Connection connection;
    private final RunKeepalives keepalives;
    private volatile boolean closing;

    ExecClient(Connection connection) throws JMSException {
        this.connection = connection;
        this.keepalives = new RunKeepalives(connection);
    }

    /**
     * Runs the target's command and copies its output until it exits.
     *
     * @param abandoned true once nobody waits for the answer any more: the request is dropped, and the node
     *        kills the command when its keepalives stop
     * @return the command's exit status as ssh reports it; 255 when the node refused, never answered, or the
     *         agent went away
     */
    Outcome run(ExecTarget target, Output output, BooleanSupplier abandoned) throws JMSException, IOException {
        return run(target, output, abandoned, killed -> { });
    }

    /**
     * The same; and an end the node gives {@code killedFor} (it is killing the command for the job's memory there)
     * goes to {@code killed} before the node is told, by the release it waits for, that the end was taken.
     */
    Outcome run(ExecTarget target, Output output, BooleanSupplier abandoned, Consumer<ExecMessage.ExecExit> killed)
            throws JMSException, IOException {
        return run(target, output, abandoned, killed, Input.NONE);
    }

    /** The same; what the node says of the command's input goes to {@code input}. */
    Outcome run(ExecTarget target, Output output, BooleanSupplier abandoned, Consumer<ExecMessage.ExecExit> killed,
            Input input) throws JMSException, IOException {
        return follow(target, output, abandoned, killed, false, input);
    }

    /** The runner's connection, over which a run's input goes in a session of its own ({@link RelayInput}). */
    Connection connection() {
        return connection;
    }

    /**
     * Takes up a run an earlier runner's relay started ({@code target}'s request id is the run's), for an agent that
     * resumed it after that runner stopped: no request is sent; the node is kept from killing the command by this
     * relay's keepalives, which name this relay's reply queue, and it tells its exit there once the command has ended,
     * again if it told it to the earlier relay (protocol.md 13.4). The node sends the command's output there too from
     * the first keepalive on (ReplyRoute); what it wrote before went to the earlier relay's queue, and is lost. Otherwise as {@link #run}; there is no start
     * timeout, since nothing comes from the node while the command runs.
     */
    Outcome resume(ExecTarget target, Output output, BooleanSupplier abandoned,
            Consumer<ExecMessage.ExecExit> killed) throws JMSException, IOException {
        return follow(target, output, abandoned, killed, true, Input.NONE);
    }

    private Outcome follow(ExecTarget target, Output output, BooleanSupplier abandoned,
            Consumer<ExecMessage.ExecExit> killed, boolean resuming, Input input) throws JMSException, IOException {
        String requestId = target.request().requestId();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer consumer = session.createConsumer(replies);
            MessageProducer toNode = session.createProducer(session.createQueue(
                    Destinations.execQueue(target.nodeId())));
            toNode.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            RunKeepalives.Kept run = keepalives.keep(requestId, Destinations.execQueue(target.nodeId()), replies);
            if (run == null) {
                return fail(output, "run " + requestId + " is already being relayed here");
            }
            RunEnding ending = new RunEnding();
            try {
                if (resuming) {
                    // At once: the command has been without keepalives since the last runner stopped.
                    keepalives.send(requestId, run);
                } else {
                    TextMessage m = session.createTextMessage(MessageCodec.encode(target.request()));
                    m.setStringProperty("type", "exec-request");
                    m.setJMSReplyTo(replies);
                    toNode.send(m);
                }
                Outcome outcome = relay(consumer, target.host(), requestId, output, abandoned, ending, resuming,
                        input);
                if (ending.killed != null) {
                    killed.accept(ending.killed);
                }
                return outcome;
            } finally {
                keepalives.drop(requestId, run);
                // A runner that is stopping leaves its runs to the next one, which its agents resume them with.
                if (!closing && ending.releases()) {
                    RunEnding.release(session, toNode, requestId);
                }
            }
        } finally {
            session.close();
        }
    }

    /** Whether this relay has stopped: what it follows is left to the next runner's. */
    boolean closing() {
        return closing;
    }

    private Outcome relay(MessageConsumer consumer, String host, String requestId, Output output,
            BooleanSupplier abandoned, RunEnding ending, boolean started, Input input)
            throws JMSException, IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (closing) {
                return STOPPED;
            }
            if (abandoned.getAsBoolean()) {
                return new Outcome(UNREACHABLE, null);
            }
            if (!started && System.nanoTime() > deadline) {
                return fail(output, host + " did not answer within " + START_TIMEOUT.toSeconds() + " s (its"
                        + " node-runner is down or unreachable)");
            }
            // Short waits, so an agent that went away is noticed while the command is quiet.
            Message m = consumer.receive(250);
            if (m == null) {
                continue;
            }
            ExecMessage reply;
            try {
                reply = MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class);
            } catch (ProtocolException | ClassCastException e) {
                return fail(output, "unreadable answer from " + host + ": " + e.getMessage());
            }
            if (!requestId.equals(reply.requestId())) {
                continue;
            }
            started = true;
            if (reply instanceof ExecMessage.ExecStarted s) {
                input.started(s.takesInput());
            } else if (reply instanceof ExecMessage.ExecInputAck ack) {
                input.acknowledged(ack);
            } else if (reply instanceof ExecMessage.ExecOutput o) {
                byte[] data;
                try {
                    data = Base64.getDecoder().decode(o.data());
                } catch (IllegalArgumentException e) {
                    return fail(output, "unreadable output from " + host + ": " + e.getMessage());
                }
                if ("stderr".equals(o.stream())) {
                    output.stderr(data);
                } else {
                    output.stdout(data);
                }
            } else if (reply instanceof ExecMessage.ExecExit x) {
                ending.heardExit = true;
                if (x.killedFor() != null) {
                    ending.killed = x;
                    String message = host + ": " + x.error();
                    output.stderr(("cadre rsh: " + message + "\n").getBytes(StandardCharsets.UTF_8));
                    return new Outcome(x.exitCode(), message, x.usage());
                }
                if (x.error() != null) {
                    Outcome failed = fail(output, host + ": " + x.error());
                    return new Outcome(failed.exitCode(), failed.failure(), x.usage());
                }
                return new Outcome(x.exitCode(), null, x.usage());
            }
        }
    }

    static Outcome fail(Output output, String message) throws IOException {
        output.stderr(("cadre rsh: " + message + "\n").getBytes(StandardCharsets.UTF_8));
        return new Outcome(UNREACHABLE, message);
    }

    /**
     * Stops relaying: no keepalive and no release goes out any more, so the nodes keep the commands running for the
     * agents to resume with the next runner (they kill them after {@link ExecService#SILENCE_LIMIT} otherwise).
     */
    @Override
    public void close() throws JMSException {
        closing = true;
        keepalives.close();
    }
}
