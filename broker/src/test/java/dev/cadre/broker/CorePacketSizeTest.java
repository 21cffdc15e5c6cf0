package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cadre.protocol.Destinations;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CORE packet that announces more than the broker's limit closes its connection before any of it is sent, with or
 * without the client's handshake, and however it follows packets within the limit. Clients connected before and after
 * go on, with messages as large as Cadre sends: a request close to the broker's limit in one packet, and a message
 * larger than the packet limit in chunks.
 */
class CorePacketSizeTest {
    /** Announced and never sent: Artemis alone would wait for, and buffer, all of it. */
    private static final int HUGE = Integer.MAX_VALUE - 4;
    private static final long WAIT_MS = 30_000;
    private static final String LARGE_QUEUE = "cadre.packet-test";
    @TempDir
    Path dir;

    @Test
    void aHugePacketClosesItsConnectionAndClientsGoOn() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0,
                users)).start();
                Connection existing = BrokerConnections.open(url(broker, ""), users.admin(), "packet-test")) {
            Session read = existing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer submissions = read.createConsumer(read.createQueue(Destinations.SUBMIT));
            MessageConsumer large = read.createConsumer(read.createQueue(LARGE_QUEUE));

            try (Socket raw = new Socket("127.0.0.1", broker.corePort())) {
                raw.setSoTimeout((int) WAIT_MS);
                // The handshake and a packet within the limit: the broker answers the ping, so it read it.
                raw.getOutputStream().write(concat("ARTEMIS".getBytes(StandardCharsets.US_ASCII), ping()));
                byte[] pong = new byte[ping().length];
                new DataInputStream(raw.getInputStream()).readFully(pong);
                assertArrayEquals(ping(), pong, "the ping comes back");
                raw.getOutputStream().write(ByteBuffer.allocate(4).putInt(HUGE).array());
                assertClosed(raw);
            }
            try (Socket raw = new Socket("127.0.0.1", broker.corePort())) {
                raw.setSoTimeout((int) WAIT_MS);
                // No handshake: Artemis takes anything on this port for CORE, from the first byte.
                raw.getOutputStream().write(ByteBuffer.allocate(8).putInt(HUGE).putInt(0).array());
                assertClosed(raw);
            }

            sendBytes(existing, LARGE_QUEUE, new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, body(large.receive(WAIT_MS)), "a client connected before goes on");

            // A client that sends a request whole (minLargeMessageSize above it) is within the limit.
            byte[] request = random(BrokerLimits.MAX_REQUEST_BYTES - (64 << 10));
            try (Connection whole = BrokerConnections.open(url(broker, "?minLargeMessageSize="
                    + BrokerLimits.MAX_REQUEST_BYTES), users.submitter(), "packet-test")) {
                sendBytes(whole, Destinations.SUBMIT, request);
            }
            assertArrayEquals(request, body(submissions.receive(WAIT_MS)), "a request in one packet arrives");

            // Cadre's clients keep the default minLargeMessageSize: a message larger than a packet goes in chunks.
            byte[] chunked = random(BrokerLimits.MAX_CORE_PACKET_BYTES + (1 << 20));
            try (Connection fresh = BrokerConnections.open(url(broker, ""), users.admin(), "packet-test")) {
                sendBytes(fresh, LARGE_QUEUE, chunked);
            }
            assertArrayEquals(chunked, body(large.receive(WAIT_MS)), "a large message arrives in chunks");
        }
    }

    /** The broker closes the connection: the next read ends the stream (or finds it reset), and does not time out. */
    private static void assertClosed(Socket raw) throws IOException {
        InputStream in = raw.getInputStream();
        try {
            assertEquals(-1, in.read(), "nothing comes from a closed connection");
        } catch (SocketException reset) {
            // Also what a closed connection does, when the broker closed it with bytes unread.
        }
    }

    /** A CORE ping on channel 0: length 17, type 10, channel 0, a connection TTL of 60 s. */
    private static byte[] ping() {
        return ByteBuffer.allocate(21).putInt(17).put((byte) 10).putLong(0).putLong(60_000).array();
    }

    private static String url(EmbeddedBroker broker, String parameters) {
        return "tcp://127.0.0.1:" + broker.corePort() + parameters;
    }

    private static void sendBytes(Connection c, String queue, byte[] body) throws JMSException {
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(body);
            s.createProducer(s.createQueue(queue)).send(m);
        }
    }

    private static byte[] body(Message m) throws JMSException {
        assertNotNull(m, "the message arrives");
        return assertInstanceOf(BytesMessage.class, m).getBody(byte[].class);
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
