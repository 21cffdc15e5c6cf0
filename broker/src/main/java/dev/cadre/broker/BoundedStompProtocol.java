package dev.cadre.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.BaseInterceptor;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.protocol.stomp.StompProtocolManagerFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyServerConnection;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.routing.RoutingHandler;
import org.apache.activemq.artemis.spi.core.protocol.ConnectionEntry;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManager;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManagerFactory;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.activemq.artemis.spi.core.remoting.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artemis' STOMP with a limit on a frame's size. Artemis reads a STOMP frame whole, however large, before anything
 * (interceptor, plugin, {@link SendLimits}) sees it, and has no setting that bounds it over TCP (its
 * {@code stompMaxFramePayloadLength} is for WebSockets only). Each connection's bytes pass {@link StompFrameLimit} first;
 * a frame past the limit gets an ERROR frame and the connection is closed, having cost at most the limit.
 */
final class BoundedStompProtocol extends StompProtocolManagerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedStompProtocol.class);
    private final int maxFrameBytes;

    BoundedStompProtocol(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public ProtocolManager createProtocolManager(ActiveMQServer server, Map<String, Object> parameters,
            List<BaseInterceptor> incoming, List<BaseInterceptor> outgoing) throws Exception {
        return new Bounded(super.createProtocolManager(server, parameters, incoming, outgoing));
    }

    /** Artemis' STOMP protocol manager, with the limit in front of its decoder. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private final class Bounded implements ProtocolManager {
        private final ProtocolManager stomp;

        Bounded(ProtocolManager stomp) {
            this.stomp = stomp;
        }

        @Override
        public void addChannelHandlers(ChannelPipeline pipeline) {
            // Artemis adds its own handler, which decodes frames, after these.
            pipeline.addLast("cadre-stomp-frame-limit", new FrameGuard(new StompFrameLimit(maxFrameBytes)));
            stomp.addChannelHandlers(pipeline);
        }

        @Override
        public ProtocolManagerFactory getFactory() {
            return stomp.getFactory();
        }

        @Override
        public void updateInterceptors(List incoming, List outgoing) {
            stomp.updateInterceptors(incoming, outgoing);
        }

        @Override
        public ConnectionEntry createConnectionEntry(Acceptor acceptor, Connection connection) {
            return stomp.createConnectionEntry(acceptor, connection);
        }

        @Override
        public void removeHandler(String name) {
            stomp.removeHandler(name);
        }

        @Override
        public void handleBuffer(RemotingConnection connection, ActiveMQBuffer buffer) {
            stomp.handleBuffer(connection, buffer);
        }

        @Override
        public boolean isProtocol(byte[] array) {
            return stomp.isProtocol(array);
        }

        @Override
        public boolean acceptsNoHandshake() {
            return stomp.acceptsNoHandshake();
        }

        @Override
        public void handshake(NettyServerConnection connection, ActiveMQBuffer buffer) {
            stomp.handshake(connection, buffer);
        }

        @Override
        public List<String> websocketSubprotocolIdentifiers() {
            return stomp.websocketSubprotocolIdentifiers();
        }

        @Override
        public void setAnycastPrefix(String prefix) {
            stomp.setAnycastPrefix(prefix);
        }

        @Override
        public void setMulticastPrefix(String prefix) {
            stomp.setMulticastPrefix(prefix);
        }

        @Override
        public Map<SimpleString, RoutingType> getPrefixes() {
            return stomp.getPrefixes();
        }

        @Override
        public void setSecurityDomain(String domain) {
            stomp.setSecurityDomain(domain);
        }

        @Override
        public String getSecurityDomain() {
            return stomp.getSecurityDomain();
        }

        @Override
        public RoutingHandler getRoutingHandler() {
            return stomp.getRoutingHandler();
        }
    }

    /** Passes a connection's bytes on while its frames are within the limit; refuses the connection otherwise. */
    private static final class FrameGuard extends ChannelInboundHandlerAdapter {
        private final StompFrameLimit limit;
        private boolean refused;

        FrameGuard(StompFrameLimit limit) {
            this.limit = limit;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf bytes)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (!refused && bytes.forEachByte(limit::next) < 0) {
                ctx.fireChannelRead(msg);
                return;
            }
            ReferenceCountUtil.release(msg);
            if (!refused) {
                refused = true;
                LOG.warn("closed the STOMP connection from {}: {}", ctx.channel().remoteAddress(), limit.refusal());
                byte[] error = ("ERROR\ncontent-type:text/plain\nmessage:frame too large\n\n" + limit.refusal()
                        + "\0").getBytes(StandardCharsets.UTF_8);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(error)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
