package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With client TLS (cadre up --client-tls) the broker's CORE, AMQP and STOMP ports speak TLS alone, with the head's
 * certificate: a client that pins it gets in, one that speaks plain or pins another certificate does not.
 */
class ClientTlsIntegrationTest {
    /** The header an AMQP 1.0 client opens its SASL layer with, which the broker answers with its own. */
    private static final byte[] AMQP_SASL = {'A', 'M', 'Q', 'P', 3, 1, 0, 0};
    @TempDir
    Path dir;

    @Test
    void everyClientPortSpeaksTlsAloneWithTheHeadsCertificate() throws Exception {
        TlsKeyStore key = TlsKeyStore.create(dir.resolve("head.p12"), "head-password");
        PinnedCertificate head = key.certificate();
        PinnedCertificate stranger = TlsKeyStore.create(dir.resolve("other.p12"), "other-password").certificate();
        BrokerUsers users = BrokerUsers.generate();
        Credentials submitter = users.submitter();
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users))
                .withClientTls(key).start()) {
            String core = "tcp://127.0.0.1:" + broker.corePort();
            ClientFile pinned = new ClientFile(core + "?sslEnabled=true", null, null, null, submitter.user(),
                    submitter.password(), null, null, null, null, head.pem());
            Connection c = BrokerConnections.open(pinned.coreUrl(), submitter, "tls-test");
            c.close();
            JMSException plainCore = assertThrows(JMSException.class, () -> BrokerConnections.open(core, submitter,
                    "plain-test"));
            assertTrue(plainCore.getMessage().contains("cannot connect"), plainCore.getMessage());
            ClientFile misled = new ClientFile(core + "?sslEnabled=true", null, null, null, submitter.user(),
                    submitter.password(), null, null, null, null, stranger.pem());
            assertThrows(JMSException.class, () -> BrokerConnections.open(misled.coreUrl(), submitter, "other-test"));

            try (StompFrames stomp = new StompFrames(tls(head, broker.stompPort()), submitter)) {
                assertTrue(stomp.sendPersistent("cadre.submit", "", "{}".getBytes(StandardCharsets.UTF_8))
                        .startsWith("RECEIPT"), "a STOMP client over TLS is served");
            }
            assertThrows(IOException.class, () -> new StompFrames(broker.stompPort(), submitter).close(),
                    "plain STOMP gets no CONNECTED");
            assertThrows(SSLException.class, () -> tls(stranger, broker.stompPort()).close());

            try (Socket amqp = tls(head, broker.amqpPort())) {
                assertArrayEquals(AMQP_SASL, amqpHeader(amqp), "the broker answers AMQP over TLS");
            }
            try (Socket plainAmqp = new Socket("127.0.0.1", broker.amqpPort())) {
                // A plain listener answers within milliseconds; the TLS one waits for a handshake, then hangs up.
                plainAmqp.setSoTimeout(3_000);
                assertFalse(Arrays.equals(AMQP_SASL, amqpHeader(plainAmqp)), "plain AMQP gets no answer");
            }
            assertThrows(SSLException.class, () -> tls(stranger, broker.amqpPort()).close());
        }
    }

    private static SSLSocket tls(PinnedCertificate trusted, int port) throws IOException {
        SSLSocket socket = (SSLSocket) trusted.sslContext().getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** Sends AMQP's SASL header and reads what comes back, up to its length: less when the broker hangs up. */
    private static byte[] amqpHeader(Socket socket) throws IOException {
        socket.getOutputStream().write(AMQP_SASL);
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        try {
            return in.readNBytes(AMQP_SASL.length);
        } catch (IOException reset) {
            return new byte[0];
        }
    }
}
