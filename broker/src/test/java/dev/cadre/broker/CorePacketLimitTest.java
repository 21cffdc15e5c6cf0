package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CorePacketLimitTest {
    private static final int LIMIT = 1000;

    @Test
    void packetsUpToTheLimitPassHoweverTheirBytesAreSplit() {
        byte[] stream = concat(packet(LIMIT), packet(0), packet(17), packet(LIMIT - 1));
        for (int split = 1; split <= 7; split++) {
            CorePacketLimit limit = new CorePacketLimit(LIMIT);
            for (int from = 0; from < stream.length; from += split) {
                int to = Math.min(stream.length, from + split);
                assertTrue(limit.read(Unpooled.wrappedBuffer(stream, from, to - from)),
                        "split into " + split + "-byte reads, at " + from + ": " + limit.refusal());
            }
            assertNull(limit.refusal());
        }
    }

    @Test
    void aLengthPastTheLimitIsRefusedBeforeAnyOfItsPacketArrives() {
        CorePacketLimit limit = new CorePacketLimit(LIMIT);
        // A packet's own bytes that look like a huge length are not taken for one.
        assertTrue(limit.read(Unpooled.wrappedBuffer(packetOf(new byte[] {0x7f, -1, -1, -1, 0, 0}))));
        assertTrue(limit.read(Unpooled.wrappedBuffer(new byte[] {0, 0})), "half a length decides nothing");
        assertFalse(limit.read(Unpooled.wrappedBuffer(new byte[] {0x03, (byte) 0xe9})), "1001 bytes announced");
        assertEquals("a CORE packet announces 1001 bytes, more than the 1000 bytes the broker reads in a packet",
                limit.refusal());
        assertFalse(limit.read(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0})), "the connection stays refused");
    }

    @Test
    void aTlsHandshakeInPlaceOfTheFirstPacketIsNamedAsOne() {
        CorePacketLimit limit = new CorePacketLimit(LIMIT);
        // A ClientHello's record header (handshake, TLS 1.2 record version, 0x01f4 bytes) and the hello's first bytes.
        assertFalse(limit.read(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x03, 0x01, (byte) 0xf4, 0x01, 0})));
        assertEquals("it began with a TLS handshake on this plain port: a client whose client file is for a head"
                + " started with --client-tls (it needs this head's client.json)", limit.refusal());

        // The same bytes as a later packet's length are a length, as any other.
        CorePacketLimit later = new CorePacketLimit(LIMIT);
        assertFalse(later.read(Unpooled.wrappedBuffer(concat(packet(3), new byte[] {0x16, 0x03, 0x03, 0x01}))));
        assertEquals("a CORE packet announces 369296129 bytes, more than the 1000 bytes the broker reads in a packet",
                later.refusal());
    }

    @Test
    void aNegativeLengthIsRefusedAsTheUnsignedNumberItIs() {
        CorePacketLimit limit = new CorePacketLimit(Integer.MAX_VALUE);
        assertFalse(limit.read(Unpooled.wrappedBuffer(new byte[] {-1, -1, -1, -1})));
        assertTrue(limit.refusal().contains("announces 4294967295 bytes"), limit.refusal());
    }

    @Test
    void readingMovesNeitherIndex() {
        ByteBuf bytes = Unpooled.wrappedBuffer(packet(5));
        bytes.readerIndex(0);
        new CorePacketLimit(LIMIT).read(bytes);
        assertEquals(0, bytes.readerIndex());
        assertEquals(9, bytes.writerIndex());
    }

    @Test
    void aNegativeLimitIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CorePacketLimit(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    /** A packet of that many bytes after its length, all 0x7f: bytes that would be a huge length if misread. */
    private static byte[] packet(int bytes) {
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 0x7f);
        return packetOf(body);
    }

    private static byte[] packetOf(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            all.put(p);
        }
        return all.array();
    }
}
