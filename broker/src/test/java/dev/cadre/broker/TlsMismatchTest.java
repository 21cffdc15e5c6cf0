package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client file and a head that disagree on TLS, against real listeners (embedded Artemis on ports 0, one broker with
 * client TLS and one without): the look tells both ways round on every client port, says nothing where they agree or
 * nothing listens, and a client's CORE connect ends with its words at once instead of trying for seconds.
 */
class TlsMismatchTest {
    /** Artemis alone tries a plain connect to a TLS head for its 10 s call timeout, five times. */
    private static final Duration AT_ONCE = Duration.ofSeconds(8);
    @TempDir
    Path dir;
    private final BrokerUsers users = BrokerUsers.generate();

    /** One at a time: two brokers in a JVM would share the in-VM acceptor. */
    private EmbeddedBroker broker(String name) {
        return new EmbeddedBroker(new EmbeddedBroker.Settings(dir.resolve(name), "127.0.0.1", 0, 0, 0, users));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theLookTellsAPlainFileFromATlsHeadAndTheOtherWayRound() throws Exception {
        TlsKeyStore key = TlsKeyStore.create(dir.resolve("head.p12"), "head-password");
        try (EmbeddedBroker tls = broker("tls").withClientTls(key).start()) {
            for (int port : new int[] {tls.corePort(), tls.amqpPort(), tls.stompPort()}) {
                String url = "tcp://127.0.0.1:" + port;
                assertEquals("the head at " + url + " answered with TLS (it runs with --client-tls), but the client"
                        + " file old.json is for plain connections; take the head's new client.json",
                        TlsMismatch.find(url, false, "old.json"));
                assertNull(TlsMismatch.find(url, true, "new.json"), "a TLS file and a TLS head agree");
            }
        }
        // Cadre's own clients use CORE and HTTP: the plain AMQP and STOMP listeners are not looked at here.
        try (EmbeddedBroker plain = broker("plain").start()) {
            String url = "tcp://127.0.0.1:" + plain.corePort() + "?sslEnabled=true";
            assertEquals("the head at " + url + " answered without TLS (it runs without --client-tls), but the client"
                    + " file is for TLS; take the head's new client.json", TlsMismatch.find(url, true, null));
            assertNull(TlsMismatch.find(url, false, null), "a plain file and a plain head agree");
        }
        int closed = closedPort();
        assertNull(TlsMismatch.find("tcp://127.0.0.1:" + closed, false, null), "nothing listens: nothing told");
        assertNull(TlsMismatch.find("tcp://127.0.0.1:" + closed, true, null));
    }

    @Test
    void aClientsConnectToAHeadThatDisagreesEndsAtOnceWithTheWords() throws Exception {
        TlsKeyStore key = TlsKeyStore.create(dir.resolve("head.p12"), "head-password");
        Credentials submitter = users.submitter();
        try (EmbeddedBroker tls = broker("tls").withClientTls(key).start()) {
            String oldFile = "tcp://127.0.0.1:" + tls.corePort();
            long start = System.nanoTime();
            JMSException plainToTls = assertThrows(JMSException.class, () -> BrokerConnections.openToHead(oldFile,
                    submitter, "test", null, "old.json"));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(AT_ONCE) < 0, "took "
                    + Duration.ofNanos(System.nanoTime() - start));
            assertTrue(plainToTls.getMessage().startsWith("the head at " + oldFile + " answered with TLS"),
                    plainToTls.getMessage());
            ClientFile agreeing = new ClientFile(oldFile + "?sslEnabled=true", null, null, null, submitter.user(),
                    submitter.password(), null, null, null, null, key.certificate().pem());
            BrokerConnections.openToHead(agreeing.coreUrl(), submitter, "test", null, "new.json").close();
        }
        try (EmbeddedBroker plain = broker("plain").start()) {
            String tlsFile = "tcp://127.0.0.1:" + plain.corePort() + "?sslEnabled=true";
            ClientFile misled = new ClientFile(tlsFile, null, null, null, submitter.user(), submitter.password(),
                    null, null, null, null, key.certificate().pem());
            long start = System.nanoTime();
            JMSException tlsToPlain = assertThrows(JMSException.class, () -> BrokerConnections.openToHead(
                    misled.coreUrl(), submitter, "test", null, "new.json"));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(AT_ONCE) < 0, "took "
                    + Duration.ofNanos(System.nanoTime() - start));
            assertTrue(tlsToPlain.getMessage().startsWith("the head at " + tlsFile + " answered without TLS"),
                    tlsToPlain.getMessage());
            assertFalse(tlsToPlain.getMessage().contains("trustStore"), tlsToPlain.getMessage());
            BrokerConnections.openToHead("tcp://127.0.0.1:" + plain.corePort(), submitter, "test", null,
                    "plain.json").close();
        }
    }

    @Test
    void aFailedConnectShowsTheUrlWithoutTheTrustStoresPathOrPassword() throws Exception {
        PinnedCertificate head = TlsKeyStore.create(dir.resolve("head.p12"), "head-password").certificate();
        int closed = closedPort();
        String brokerUrl = "tcp://127.0.0.1:" + closed + "?sslEnabled=true";
        String connectUrl = head.tlsUrl(brokerUrl);
        assertTrue(connectUrl.contains("trustStorePassword="), connectUrl);
        JMSException e = assertThrows(JMSException.class, () -> BrokerConnections.open(connectUrl,
                new Credentials("alice", "secret"), "test"));
        assertTrue(e.getMessage().startsWith("cannot connect to the broker at " + brokerUrl + " (test): "),
                e.getMessage());
        assertFalse(e.getMessage().contains("trustStore"), e.getMessage());
        assertEquals("tcp://h:1", PinnedCertificate.shown("tcp://h:1?reconnectAttempts=3"));
        assertEquals("tcp://h:1?sslEnabled=true", PinnedCertificate.shown(connectUrl.replace("127.0.0.1:" + closed,
                "h:1")));
    }
}
