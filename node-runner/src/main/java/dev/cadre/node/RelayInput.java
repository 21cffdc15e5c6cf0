package dev.cadre.node;

import dev.cadre.node.core.InputWindow;
import dev.cadre.node.core.RelayWire;
import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's copy of a version-3 agent's standard input to its command (protocol.md §13.10), on a thread of its own
 * that reads the agent's socket: input frames become exec-input messages, sent within the {@link InputWindow} the
 * node's acknowledgements open, so the relay holds at most one frame and stops reading the agent while the window is
 * full. The same thread tells when the agent hangs up, as the plain watcher does for agents without input; while it
 * waits for room it cannot read, so it writes the agent an empty stdout frame every second instead, which fails once
 * the agent is gone.
 */
final class RelayInput implements ExecClient.Input {
    private static final Logger LOG = LoggerFactory.getLogger(RelayInput.class);
    private static final long PROBE_MILLIS = 1000;

    /** Where the exec-input messages go: the node's exec queue, in order. */
    interface Sender extends AutoCloseable {
        void send(ExecMessage.ExecInput piece) throws JMSException;

        /** Sends the terminal's new size for the run (exec-resize), outside the input's window. */
        void resize(ExecMessage.ExecResize resize) throws JMSException;

        @Override
        void close() throws JMSException;

        /**
         * Over a session of its own (the relay's thread that reads the agent sends, while another follows the run):
         * used only once the node said the command started, so input never overtakes its request.
         */
        static Sender open(Connection connection, String nodeId) throws JMSException {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try {
                MessageProducer producer = session.createProducer(session.createQueue(Destinations.execQueue(
                        nodeId)));
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                return new Sender() {
                    @Override
                    public void send(ExecMessage.ExecInput piece) throws JMSException {
                        TextMessage m = session.createTextMessage(MessageCodec.encode(piece));
                        m.setStringProperty("type", "exec-input");
                        producer.send(m);
                    }

                    @Override
                    public void resize(ExecMessage.ExecResize resize) throws JMSException {
                        TextMessage m = session.createTextMessage(MessageCodec.encode(resize));
                        m.setStringProperty("type", "exec-resize");
                        producer.send(m);
                    }

                    @Override
                    public void close() throws JMSException {
                        session.close();
                    }
                };
            } catch (JMSException | RuntimeException e) {
                session.close();
                throw e;
            }
        }
    }

    private final InputStream agent;
    private final AgentAnswers answers;
    private final InputWindow window = new InputWindow();
    private final AtomicBoolean gone = new AtomicBoolean();
    private final AtomicBoolean toldClosed = new AtomicBoolean();
    private volatile String host = "its host";
    private volatile String requestId;
    private volatile Sender sender;

    private RelayInput(InputStream agent, AgentAnswers answers) {
        this.agent = agent;
        this.answers = answers;
    }

    /** Starts reading the agent's socket, past its request; nothing is sent before {@link #bind} and the start. */
    static RelayInput start(InputStream agent, AgentAnswers answers) {
        RelayInput input = new RelayInput(agent, answers);
        Thread t = new Thread(input::copy, "cadre-exec-agent-input");
        t.setDaemon(true);
        t.start();
        return input;
    }

    /** Set once the agent hung up or died. */
    AtomicBoolean gone() {
        return gone;
    }

    /** The run the input goes to, and how. */
    void bind(String host, String requestId, Sender sender) {
        this.host = host;
        this.requestId = requestId;
        this.sender = sender;
    }

    /** The most input that was unacknowledged at once. */
    long peak() {
        return window.peak();
    }

    @Override
    public void started(boolean takesInput) throws IOException {
        if (takesInput && sender != null) {
            window.open();
            answers.signal(RelayWire.GO);
        } else {
            // A node from before input, or ssh -n: the agent is told never to send (it has sent nothing yet).
            stop();
        }
    }

    @Override
    public void acknowledged(ExecMessage.ExecInputAck ack) throws IOException {
        String wrong = window.acknowledge(ack.offset(), ack.closed());
        if (wrong != null) {
            LOG.warn("exec relay: {}: {}", requestId, wrong);
        }
        if (ack.error() != null) {
            answers.stderr(("cadre rsh: " + host + ": input refused: " + ack.error() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (ack.closed()) {
            stop();
        }
    }

    /** Nothing more is taken (the command closed its input, or the run ended): the agent is told to stop. */
    void stop() throws IOException {
        window.close();
        if (toldClosed.compareAndSet(false, true)) {
            answers.signal(RelayWire.CLOSED);
        }
    }

    /** The run ended: nothing more is sent; its sender is closed. */
    void end() {
        window.close();
        Sender s = sender;
        if (s != null) {
            try {
                s.close();
            } catch (JMSException e) {
                LOG.debug("exec relay: input session of {} not closed: {}", requestId, e.toString());
            }
        }
    }

    private void copy() {
        boolean ended = false;
        boolean warned = false;
        try {
            while (true) {
                RelayWire.Frame frame;
                try {
                    frame = RelayWire.readInputFrame(agent);
                } catch (RelayWire.BadRequest e) {
                    refuse(e.getMessage() + "; the command's input ends here");
                    if (!ended) {
                        send(RelayWire.Frame.empty(RelayWire.END));
                    }
                    agent.transferTo(OutputStream.nullOutputStream());
                    break;
                }
                if (frame == null) {
                    break;
                }
                if (frame.type() == RelayWire.RESIZE) {
                    resize(frame.size().orElseThrow());
                    continue;
                }
                if (ended) {
                    if (!warned) {
                        refuse("input after its end is ignored");
                        warned = true;
                    }
                    continue;
                }
                ended = frame.type() == RelayWire.END;
                send(frame);
            }
        } catch (IOException e) {
            // Reset by the agent's death, or closed by the relay once the answer is complete: both end it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gone.set(true);
    }

    /** Sends the frame once the window has room for it; drops it when the window closes first. */
    private void send(RelayWire.Frame frame) throws IOException, InterruptedException {
        long offset;
        while ((offset = window.take(frame.payload().length, PROBE_MILLIS)) < 0) {
            if (window.closed()) {
                return;
            }
            // Not reading the agent while the window is full, so its hang-up shows only as a failed write.
            answers.stdout(new byte[0]);
        }
        try {
            sender.send(new ExecMessage.ExecInput(requestId, offset, Base64.getEncoder().encodeToString(
                    frame.payload()), frame.type() == RelayWire.END));
        } catch (JMSException e) {
            if (window.closed()) {
                // The run ended (or the command closed its input) after this frame took its room, and the end
                // closed the sender under it: input a finished command never reads is dropped silently, as ssh
                // drops it, not reported as lost.
                return;
            }
            refuse("input lost: cannot reach " + host + " through the broker: " + e.getMessage());
            stop();
        }
    }

    /** A terminal's new size, which no window holds back: it takes no room in the command's input. */
    private void resize(TerminalSize size) {
        try {
            sender.resize(new ExecMessage.ExecResize(requestId, size.rows(), size.columns()));
        } catch (JMSException e) {
            LOG.debug("exec relay: {}: resize to {} not sent: {}", requestId, size, e.toString());
        }
    }

    private void refuse(String why) throws IOException {
        LOG.warn("exec relay: {}: {}", requestId, why);
        answers.stderr(("cadre rsh: " + why + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
