package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's input to a run outside its job ({@link GrantedExec}) over a real broker whose link, as a flaky network
 * makes it, breaks and comes back again and again: each relink sends the unacknowledged input again, all on one
 * resend thread, where each once started a thread of its own that slept on for up to a minute.
 */
class StreamInputRelinkTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RESEND_THREAD = "cadre-exec-input-resend";
    @TempDir
    Path dir;
    private InVmBroker broker;
    private Connection client;
    private final ScheduledExecutorService resends = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, RESEND_THREAD);
        t.setDaemon(true);
        return t;
    });
    /** What reached the node's exec queue, in order. */
    private final List<ExecMessage.ExecInput> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        client = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "client");
        Session node = broker.node().createSession(false, Session.AUTO_ACKNOWLEDGE);
        node.createConsumer(node.createQueue(Destinations.execQueue("node-1"))).setMessageListener(m -> {
            try {
                sent.add((ExecMessage.ExecInput) MessageCodec.decode(((TextMessage) m).getText()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        broker.node().start();
    }

    @AfterEach
    void stop() throws Exception {
        resends.shutdownNow();
        for (AutoCloseable c : new AutoCloseable[] {client, broker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void manyRelinksSendTheInputAgainOnOneThread() throws Exception {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        StreamInput input = new StreamInput(new ByteArrayInputStream("typed\n".getBytes(StandardCharsets.UTF_8)),
                "host1", "request-1", RelayInput.Sender.open(client, "node-1"), new ExecClient.Output() {
                    @Override
                    public void stdout(byte[] data) {
                    }

                    @Override
                    public void stderr(byte[] data) {
                        stderr.writeBytes(data);
                    }
                }, resends);
        input.started(true);
        // The input and its end, which no node acknowledges here: both stay to be sent again.
        Await.until(() -> "the input and its end to be sent: " + sent, WAIT, () -> sent.size() == 2);

        for (int i = 0; i < 50; i++) {
            input.relinked();
        }
        Await.until(() -> "the input to be sent again: " + sent, WAIT, () -> sent.size() >= 4);
        assertEquals(1, resendThreads(), "the relinks' rounds share the resend thread");
        ExecMessage.ExecInput again = sent.get(2);
        assertEquals(0, again.offset(), "sent again from where the node has not acknowledged: " + sent);
        assertEquals("typed\n", new String(Base64.getDecoder().decode(again.data()), StandardCharsets.UTF_8));

        input.end();
        resends.shutdownNow();
        Await.until(() -> resendThreads() + " resend threads left once the exec closed", WAIT,
                () -> resendThreads() == 0);
        input.relinked(); // after the exec's close, as a late link listener may: nothing starts
        assertEquals(0, resendThreads());
        assertEquals("", stderr.toString(StandardCharsets.UTF_8), "nothing said of input sent again");
    }

    private static long resendThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(RESEND_THREAD) && t.isAlive()).count();
    }
}
