package dev.cadre.broker;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.BaseInterceptor;
import org.apache.activemq.artemis.core.protocol.stomp.StompProtocolManagerFactory;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManager;

/**
 * Artemis' STOMP with a limit on a frame's size. Artemis reads a STOMP frame whole, however large, before anything
 * (interceptor, plugin, {@link SendLimits}) sees it, and has no setting that bounds it over TCP (its
 * {@code stompMaxFramePayloadLength} is for WebSockets only). Each connection's bytes pass {@link StompFrameLimit} first;
 * a frame past the limit gets an ERROR frame and the connection is closed, having cost at most the limit.
 */
final class BoundedStompProtocol extends StompProtocolManagerFactory {
    private final int maxFrameBytes;

    BoundedStompProtocol(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProtocolManager createProtocolManager(ActiveMQServer server, Map<String, Object> parameters,
            List<BaseInterceptor> incoming, List<BaseInterceptor> outgoing) throws Exception {
        return new GuardedProtocol(super.createProtocolManager(server, parameters, incoming, outgoing), "STOMP",
                () -> new StompFrameLimit(maxFrameBytes), BoundedStompProtocol::sendErrorAndClose);
    }

    private static void sendErrorAndClose(ChannelHandlerContext ctx, String why) {
        byte[] error = ("ERROR\ncontent-type:text/plain\nmessage:frame too large\n\n" + why + "\0")
                .getBytes(StandardCharsets.UTF_8);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(error)).addListener(ChannelFutureListener.CLOSE);
    }
}
