package dev.cadre.broker;

import io.netty.buffer.ByteBuf;

/**
 * Follows the packets of one CORE connection and says when a packet announces a length past the limit, as soon as its
 * length is read: before the broker, which reads a packet whole, has buffered any of it. What arrives after protocol
 * detection (and after the {@code ARTEMIS} handshake, which Artemis consumes when a client sends it) is a row of
 * packets, each a 4-byte big-endian length and then that many bytes (Artemis' {@code ActiveMQFrameDecoder2}). Only the
 * lengths are read; the packets' bytes are counted past.
 */
final class CorePacketLimit implements GuardedProtocol.Limit {
    private static final int LENGTH_BYTES = 4;
    /** A TLS record's first two bytes when it carries a handshake: its type, and the major version every TLS has. */
    private static final int TLS_HANDSHAKE_START = 0x1603;

    private final int maxPacketBytes;
    /** Bytes of the current length field read so far, 0 to 3. */
    private int lengthRead;
    private int length;
    /** Bytes of the current packet still to come after its length field. */
    private long packetLeft;
    private boolean firstLength = true;
    private String refusal;

    CorePacketLimit(int maxPacketBytes) {
        if (maxPacketBytes < 0) {
            throw new IllegalArgumentException("a CORE packet limit cannot be negative: " + maxPacketBytes);
        }
        this.maxPacketBytes = maxPacketBytes;
    }

    /** False once a packet announces a length past the limit, and for every later call. */
    @Override
    public boolean read(ByteBuf bytes) {
        int at = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (refusal == null && at < end) {
            if (packetLeft > 0) {
                int skipped = (int) Math.min(packetLeft, end - at);
                at += skipped;
                packetLeft -= skipped;
                continue;
            }
            length = length << 8 | bytes.getUnsignedByte(at++);
            if (++lengthRead == LENGTH_BYTES) {
                lengthRead = 0;
                // A negative length, which Artemis' decoder would refuse anyway, counts as one past the limit.
                long announced = Integer.toUnsignedLong(length);
                if (announced > maxPacketBytes) {
                    refusal = firstLength && length >>> 16 == TLS_HANDSHAKE_START
                            // Read as a length, a ClientHello's record header is some 369 million bytes.
                            ? PlainPortTls.REFUSAL
                            : "a CORE packet announces " + announced + " bytes, more than the " + maxPacketBytes
                                    + " bytes the broker reads in a packet";
                }
                firstLength = false;
                packetLeft = announced;
                length = 0;
            }
        }
        return refusal == null;
    }

    @Override
    public String refusal() {
        return refusal;
    }
}
