package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class BrokerConnectionsTest {
    @Test
    void aBrokerThatCannotBeReachedIsNamedInTheError() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String url = "tcp://127.0.0.1:" + port + "?initialConnectAttempts=1";
        JMSException e = assertThrows(JMSException.class,
                () -> BrokerConnections.open(url, new Credentials("u", "p"), "node, head given by --server"));
        // Shown without its parameters, which for a TLS URL name the trust store and its password.
        assertTrue(e.getMessage().startsWith("cannot connect to the broker at tcp://127.0.0.1:" + port
                + " (node, head given by --server): "), e.getMessage());
    }
}
