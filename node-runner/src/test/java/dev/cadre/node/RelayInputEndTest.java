package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.RelayWire;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input frame caught between taking its room in the window and being sent, over a real broker session: when the
 * run ends meanwhile, its end closes the session under the send, and the frame is dropped without a word (the
 * command that would have read it is gone); when the send fails while the run goes on, the agent hears the input
 * was lost. The first once printed "input lost: ... Producer is closed" after {@code yes | cadre-rsh HOST head -c 4}.
 */
class RelayInputEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private InVmBroker broker;
    private Connection execAccount;
    private SocketChannel relaySide;
    private SocketChannel agentSide;

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "exec");
        // The node's exec queue, made as its runner makes it: the relay's account may send to it, not create it.
        Session node = broker.node().createSession(false, Session.AUTO_ACKNOWLEDGE);
        node.createConsumer(node.createQueue(Destinations.execQueue("node-1")));
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("relay.sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            agentSide = SocketChannel.open(address);
            relaySide = server.accept();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {agentSide, relaySide, execAccount, broker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aFrameWhoseRunEndsBeforeItIsSentIsDroppedWithoutAWord() throws Exception {
        PausedSender sender = new PausedSender(RelayInput.Sender.open(execAccount, "node-1"));
        RelayInput input = startWithOneFrame(sender);
        input.end();
        sender.release.countDown();

        String heard = agentHears(input);
        assertTrue(sender.failed, "the end closed the session under the send");
        assertFalse(heard.contains("input lost"), "nothing said of input its ended command never reads: " + heard);
    }

    @Test
    void aSendThatFailsWhileTheRunGoesOnIsReportedAsLostInput() throws Exception {
        PausedSender sender = new PausedSender(RelayInput.Sender.open(execAccount, "node-1"));
        RelayInput input = startWithOneFrame(sender);
        sender.delegate.close();
        sender.release.countDown();

        String heard = agentHears(input);
        assertTrue(heard.contains("cadre rsh: input lost: cannot reach host1 through the broker"), heard);
    }

    /** An agent that sends one data frame, its input bound to the run and opened; returns once the send is due. */
    private RelayInput startWithOneFrame(PausedSender sender) throws Exception {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        RelayWire.write(frames, new RelayWire.Frame(RelayWire.DATA, "hello\n".getBytes(StandardCharsets.UTF_8)));
        RelayInput input = RelayInput.start(new ByteArrayInputStream(frames.toByteArray()), new AgentAnswers(
                relaySide));
        input.bind("host1", "request-1", sender);
        input.started(true);
        assertTrue(sender.due.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the frame was never sent");
        return input;
    }

    /** What the relay wrote to the agent, once the input's thread is done. */
    private String agentHears(RelayInput input) throws Exception {
        await("the input's thread to finish", WAIT, () -> input.gone().get());
        relaySide.close();
        return new String(Channels.newInputStream(agentSide).readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** A real sender held back between the frame's room being taken and its send, where the race lies. */
    private static final class PausedSender implements RelayInput.Sender {
        final RelayInput.Sender delegate;
        final CountDownLatch due = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean failed;

        PausedSender(RelayInput.Sender delegate) {
            this.delegate = delegate;
        }

        @Override
        public void resize(ExecMessage.ExecResize resize) throws JMSException {
            delegate.resize(resize);
        }

        @Override
        public void send(ExecMessage.ExecInput piece) throws JMSException {
            due.countDown();
            try {
                if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                delegate.send(piece);
            } catch (JMSException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close() throws JMSException {
            delegate.close();
        }
    }
}
