package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {
    @TempDir
    Path dir;

    @Test
    void aPortInUseFailsTheStartInsteadOfLeavingAHalfBroker() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            var settings = new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, taken.getLocalPort(),
                    BrokerUsers.generate());
            var e = assertThrows(IllegalStateException.class, () -> new EmbeddedBroker(settings).start());
            assertTrue(e.getMessage().endsWith("stomp port " + taken.getLocalPort() + " is in use"), e.getMessage());
        }
    }

    @Test
    void portZeroListensOnPortsTheSystemPicksAndReportsThem() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0,
                BrokerUsers.generate())).start()) {
            Set<Integer> ports = Set.of(broker.corePort(), broker.amqpPort(), broker.stompPort());
            assertEquals(3, ports.size(), "three listeners on three ports: " + ports);
            for (int port : ports) {
                // Taken by the broker: binding it again must fail.
                assertThrows(java.io.IOException.class,
                        () -> new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1")).close(), "port " + port);
            }
        }
    }

    @Test
    void twoListenersOnOnePortAreRefusedBeforeAnythingStarts() {
        var e = assertThrows(IllegalArgumentException.class, () -> new EmbeddedBroker.Settings(dir, "127.0.0.1",
                5000, 6000, 5000, BrokerUsers.generate()));
        assertEquals("the core and stomp listeners cannot share port 5000", e.getMessage());
        var range = assertThrows(IllegalArgumentException.class, () -> new EmbeddedBroker.Settings(dir, "127.0.0.1",
                5000, 70000, 0, BrokerUsers.generate()));
        assertEquals("the amqp port must be from 0 to 65535, not 70000", range.getMessage());
    }
}
