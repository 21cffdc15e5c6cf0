package dev.cadre.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyServerConnection;
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
 * One of Artemis' protocols with a limit of Cadre's in front of its decoder in each network connection's pipeline;
 * everything else is the protocol's own. Artemis adds the handlers once it has recognised the protocol, after the
 * bytes it recognised it by, and before the handler that turns the rest into the protocol's frames; each connection's
 * bytes pass its own {@link Limit} first, and once they break it the connection is refused (and the rest of its bytes
 * dropped), with a warning naming the client's address. In-VM connections have no pipeline and pass no limit.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class GuardedProtocol implements ProtocolManager {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedProtocol.class);

    /** Follows one connection's bytes as they arrive. */
    interface Limit {
        /** Reads the buffer's readable bytes without moving its indexes; false once they break the limit. */
        boolean read(ByteBuf bytes);

        /** Why the bytes broke the limit, once they have. */
        String refusal();
    }

    /** Ends a connection whose bytes broke the limit, telling the client why where the protocol can. */
    interface Refusal {
        void close(ChannelHandlerContext ctx, String why);
    }

    private final ProtocolManager protocol;
    private final String name;
    private final Supplier<Limit> limits;
    private final Refusal refusal;

    /**
     * @param name the protocol's name, for the log and the pipeline
     * @param limits a new limit for each connection, as it keeps that connection's state
     */
    GuardedProtocol(ProtocolManager protocol, String name, Supplier<Limit> limits, Refusal refusal) {
        this.protocol = protocol;
        this.name = name;
        this.limits = limits;
        this.refusal = refusal;
    }

    @Override
    public void addChannelHandlers(ChannelPipeline pipeline) {
        pipeline.addLast("cadre-" + name.toLowerCase(Locale.ROOT) + "-limit", new Guard(limits.get()));
        protocol.addChannelHandlers(pipeline);
    }

    @Override
    public ProtocolManagerFactory getFactory() {
        return protocol.getFactory();
    }

    @Override
    public void updateInterceptors(List incoming, List outgoing) {
        protocol.updateInterceptors(incoming, outgoing);
    }

    @Override
    public ConnectionEntry createConnectionEntry(Acceptor acceptor, Connection connection) {
        return protocol.createConnectionEntry(acceptor, connection);
    }

    @Override
    public void removeHandler(String name) {
        protocol.removeHandler(name);
    }

    @Override
    public void handleBuffer(RemotingConnection connection, ActiveMQBuffer buffer) {
        protocol.handleBuffer(connection, buffer);
    }

    @Override
    public boolean isProtocol(byte[] array) {
        return protocol.isProtocol(array);
    }

    @Override
    public boolean acceptsNoHandshake() {
        return protocol.acceptsNoHandshake();
    }

    @Override
    public void handshake(NettyServerConnection connection, ActiveMQBuffer buffer) {
        protocol.handshake(connection, buffer);
    }

    @Override
    public List<String> websocketSubprotocolIdentifiers() {
        return protocol.websocketSubprotocolIdentifiers();
    }

    @Override
    public void setAnycastPrefix(String prefix) {
        protocol.setAnycastPrefix(prefix);
    }

    @Override
    public void setMulticastPrefix(String prefix) {
        protocol.setMulticastPrefix(prefix);
    }

    @Override
    public Map<SimpleString, RoutingType> getPrefixes() {
        return protocol.getPrefixes();
    }

    @Override
    public void setSecurityDomain(String domain) {
        protocol.setSecurityDomain(domain);
    }

    @Override
    public String getSecurityDomain() {
        return protocol.getSecurityDomain();
    }

    @Override
    public RoutingHandler getRoutingHandler() {
        return protocol.getRoutingHandler();
    }

    /** Passes a connection's bytes on while they keep within the limit; refuses the connection otherwise. */
    private final class Guard extends ChannelInboundHandlerAdapter {
        private final Limit limit;
        private boolean refused;

        Guard(Limit limit) {
            this.limit = limit;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf bytes)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (!refused && limit.read(bytes)) {
                ctx.fireChannelRead(msg);
                return;
            }
            // Whole frames ahead of the refused one in the same read go too: the connection is closing.
            ReferenceCountUtil.release(msg);
            if (!refused) {
                refused = true;
                LOG.warn("closed the {} connection from {}: {}", name, ctx.channel().remoteAddress(),
                        limit.refusal());
                refusal.close(ctx, limit.refusal());
            }
        }
    }
}
