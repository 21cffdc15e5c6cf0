package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A socket on a plain AMQP or STOMP listener whose first bytes are a TLS ClientHello is closed at once with the head's
 * words for it; one that starts as its protocol does goes on untouched, and the look leaves its pipeline. The gate of
 * such a listener puts the look first on each socket it passes on.
 */
class PlainPortTlsTest {
    /** A ClientHello's record header (handshake, TLS 1.2 record version, 0x01f4 bytes) and the hello's first bytes. */
    private static final byte[] HELLO = {0x16, 0x03, 0x03, 0x01, (byte) 0xf4, 0x01, 0x00, 0x01, (byte) 0xf0};

    private final List<String> warnings = new ArrayList<>();

    private EmbeddedChannel socket() {
        return new EmbeddedChannel(new PlainPortTls("AMQP", warnings::add));
    }

    @Test
    void aTlsHandshakeIsClosedAtOnceAndNamed() {
        EmbeddedChannel socket = socket();
        ByteBuf hello = Unpooled.wrappedBuffer(HELLO);
        assertFalse(socket.writeInbound(hello), "nothing passed on to Artemis' protocol detection");
        assertFalse(socket.isOpen());
        assertEquals(0, hello.refCnt(), "its bytes released");
        assertEquals(List.of("closed the AMQP connection from " + socket.remoteAddress() + ": it began with a TLS"
                + " handshake on this plain port: a client whose client file is for a head started with --client-tls"
                + " (it needs this head's client.json)"), warnings);
    }

    @Test
    void aProtocolsOwnStartGoesOnAndTheLookLeaves() {
        for (String start : List.of("AMQP\0\1\0\0", "CONNECT\naccept-version:1.2\n\n\0", "\u0016")) {
            EmbeddedChannel socket = socket();
            ByteBuf bytes = Unpooled.copiedBuffer(start, StandardCharsets.ISO_8859_1);
            assertTrue(socket.writeInbound(bytes), start);
            assertSame(bytes, socket.readInbound());
            bytes.release();
            assertTrue(socket.isOpen());
            assertNull(socket.pipeline().get(PlainPortTls.class), "looks at the first read only");
            assertTrue(socket.writeInbound(Unpooled.wrappedBuffer(HELLO)), "later bytes are the protocol's");
            ((ByteBuf) socket.readInbound()).release();
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void theGateOfAPlainListenerPutsTheLookFirstOnEachSocket() {
        EmbeddedChannel plain = new EmbeddedChannel(new ConnectionGate("amqp", 2, "the test's", Duration.ofMinutes(1),
                null, "AMQP"));
        EmbeddedChannel accepted = new EmbeddedChannel();
        plain.writeInbound(accepted);
        assertSame(accepted, plain.readInbound());
        assertTrue(accepted.pipeline().first() instanceof PlainPortTls, accepted.pipeline().names().toString());

        EmbeddedChannel other = new EmbeddedChannel(new ConnectionGate("node", 2, "the test's", Duration.ofMinutes(1),
                null));
        EmbeddedChannel tlsSocket = new EmbeddedChannel();
        other.writeInbound(tlsSocket);
        assertNull(tlsSocket.pipeline().get(PlainPortTls.class), "a TLS listener's sockets start with TLS");
        for (EmbeddedChannel c : List.of(plain, accepted, other, tlsSocket)) {
            c.finishAndReleaseAll();
        }
    }
}
