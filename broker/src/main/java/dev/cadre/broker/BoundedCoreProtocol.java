package dev.cadre.broker;

import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.BaseInterceptor;
import org.apache.activemq.artemis.core.protocol.core.impl.CoreProtocolManagerFactory;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManager;

/**
 * Artemis' CORE protocol with a limit on a packet's size. Artemis' decoder takes packets of up to 2 GiB and buffers a
 * packet whole before anything (authentication included: logging in is itself a packet) looks at it, so anyone who
 * can reach the port could make the head hold 2 GiB per connection. Each network connection's bytes pass
 * {@link CorePacketLimit} first; a packet that announces more than the limit closes its connection before any of it
 * is buffered. CORE has no packet that tells a client why before the connection goes: the head's log says it.
 */
final class BoundedCoreProtocol extends CoreProtocolManagerFactory {
    private final int maxPacketBytes;

    BoundedCoreProtocol(int maxPacketBytes) {
        this.maxPacketBytes = maxPacketBytes;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProtocolManager createProtocolManager(ActiveMQServer server, Map<String, Object> parameters,
            List<BaseInterceptor> incoming, List<BaseInterceptor> outgoing) throws Exception {
        return new GuardedProtocol(super.createProtocolManager(server, parameters, incoming, outgoing), "CORE",
                () -> new CorePacketLimit(maxPacketBytes), (ctx, why) -> ctx.close());
    }
}
