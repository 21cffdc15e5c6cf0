package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {
    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aPortInUseFailsTheStartInsteadOfLeavingAHalfBroker() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            var settings = new EmbeddedBroker.Settings(dir, "127.0.0.1", freePort(), freePort(), taken.getLocalPort(),
                    BrokerUsers.generate());
            var e = assertThrows(IllegalStateException.class, () -> new EmbeddedBroker(settings).start());
            assertTrue(e.getMessage().endsWith("stomp port " + taken.getLocalPort() + " is in use"), e.getMessage());
        }
    }
}
