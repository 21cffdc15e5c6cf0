package dev.cadre.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the first bytes of a socket on a plain AMQP or STOMP listener and closes it, saying why, when they are a TLS
 * handshake: a client whose client file is for a head started with --client-tls. Artemis waits there for a protocol
 * header that never comes: it logged "AMQ224096: Error setting up connection ... protocol CORE not found in map" for
 * each read of the ClientHello, and only the login deadline ended the socket, 10 s later. (On a CORE listener Artemis
 * takes any bytes for CORE, and {@link CorePacketLimit} names the same bytes.) A socket whose first bytes are anything
 * else goes on untouched, and this leaves its pipeline.
 */
final class PlainPortTls extends ChannelInboundHandlerAdapter {
    /** Why such a socket is closed, as the head's log says it on every plain listener. */
    static final String REFUSAL = "it began with a TLS handshake on this plain port: a client whose client file is"
            + " for a head started with --client-tls (it needs this head's client.json)";
    /** A TLS record carrying a handshake: its content type, then the major version every TLS record has. */
    private static final int HANDSHAKE = 0x16;
    private static final int MAJOR_VERSION = 0x03;

    private static final Logger LOG = LoggerFactory.getLogger(PlainPortTls.class);

    private final String protocol;
    private final Consumer<String> warn;

    /** One for a socket of the listener, saying it in the head's log. */
    static PlainPortTls logging(String protocol) {
        return new PlainPortTls(protocol, LOG::warn);
    }

    /**
     * @param protocol the listener's protocol, for the log
     * @param warn where the line goes: the log's warnings, or a test's list
     */
    PlainPortTls(String protocol, Consumer<String> warn) {
        this.protocol = protocol;
        this.warn = warn;
    }

    /** Whether the bytes, from their reader index on, begin a TLS handshake record. */
    static boolean beginsHandshake(ByteBuf bytes) {
        return bytes.readableBytes() >= 2 && bytes.getUnsignedByte(bytes.readerIndex()) == HANDSHAKE
                && bytes.getUnsignedByte(bytes.readerIndex() + 1) == MAJOR_VERSION;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // A client's first write arrives whole here; a first read of one byte (which no ClientHello is) is let be.
        ctx.pipeline().remove(this);
        if (msg instanceof ByteBuf bytes && beginsHandshake(bytes)) {
            ReferenceCountUtil.release(msg);
            warn.accept("closed the " + protocol + " connection from " + ctx.channel().remoteAddress() + ": " + REFUSAL);
            ctx.close();
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
