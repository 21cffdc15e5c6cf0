package dev.cadre.broker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;

/**
 * The listener for nodes: CORE over TLS with the head's own key, so that a node can tell the head from anyone
 * announcing a broker before it sends its credentials. Port 0 lets the system pick one
 * ({@link EmbeddedBroker#nodePort()}).
 *
 * @param keyStore a PKCS12 key store holding the head's key and certificate
 */
public record NodeListener(int port, Path keyStore, String keyStorePassword) {
    public NodeListener {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the node port must be from 0 to 65535, not " + port);
        }
    }

    /**
     * A map, not a URL: the key store's password stays out of anything that prints the acceptor's URL.
     *
     * @param connectionsAllowed the nodes' own allowance, apart from the client listeners' ({@link ConnectionBounds})
     */
    TransportConfiguration acceptor(String host, String name, int connectionsAllowed) {
        Map<String, Object> params = new HashMap<>(new TlsKeyStore(keyStore, keyStorePassword).acceptorParams());
        params.putAll(Map.of(TransportConstants.HOST_PROP_NAME, host,
                TransportConstants.PORT_PROP_NAME, port,
                TransportConstants.PROTOCOLS_PROP_NAME, "CORE",
                TransportConstants.CONNECTIONS_ALLOWED, (long) connectionsAllowed));
        return new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, name);
    }

    @Override
    public String toString() {
        return "NodeListener[port=" + port + ", keyStore=" + keyStore + "]";
    }
}
