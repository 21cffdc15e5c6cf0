package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The head's connections stay well below its limit of open files, whatever that limit is. */
class ConnectionBoundsTest {
    @Test
    void theSharesLeaveAQuarterOfTheFilesAtLeast512() {
        for (long limit : new long[] {256, 1024, 4096, 20_000, 1_048_576}) {
            ConnectionBounds b = ConnectionBounds.derive(limit);
            long held = (long) b.clients() + b.nodes() + b.web();
            assertTrue(limit < 1024 || held <= limit - Math.max(512, limit / 4), limit + ": " + b.describe());
            assertEquals(b.clients(), b.coreConnections() + b.amqpConnections() + b.stompConnections());
        }
        ConnectionBounds small = ConnectionBounds.derive(1024);
        assertEquals(256, small.clients());
        assertEquals(64, small.nodes());
        assertEquals(128, small.web());
        ConnectionBounds usual = ConnectionBounds.derive(20_000);
        assertEquals(7500, usual.clients());
        assertEquals(3750, usual.coreConnections());
        assertEquals(1875, usual.amqpConnections());
        assertEquals(1875, usual.stompConnections());
        assertEquals(8192, ConnectionBounds.derive(1_048_576).clients());
    }

    /** Before, a limit under the reserve (520 files) got 3 client connections from the environment, not derive's 8. */
    @Test
    void withNoVariableSetTheSharesAreDerived() {
        for (long limit : new long[] {64, 256, 520, 540, 560, 1024, 4096, 20_000, 1_048_576}) {
            assertEquals(ConnectionBounds.derive(limit), ConnectionBounds.fromEnvironment(Map.of(), limit),
                    "limit " + limit);
        }
    }

    @Test
    void theClientFigureCanBeSetWithinWhatTheLimitLeaves() {
        Map<String, String> env = Map.of(ConnectionBounds.CLIENT_CONNECTIONS_ENV, " 300 ");
        assertEquals(300, ConnectionBounds.fromEnvironment(env, 20_000).clients());
        assertEquals(7500, ConnectionBounds.fromEnvironment(Map.of(ConnectionBounds.CLIENT_CONNECTIONS_ENV, ""),
                20_000).clients());
        for (String bad : new String[] {"2", "lots", "-5", "12000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectionBounds
                    .fromEnvironment(Map.of(ConnectionBounds.CLIENT_CONNECTIONS_ENV, bad), 20_000));
            assertTrue(e.getMessage().startsWith(ConnectionBounds.CLIENT_CONNECTIONS_ENV + " must be a whole number"
                    + " from 3 to 11125 (this process may open 20000 files"), e.getMessage());
            assertTrue(e.getMessage().endsWith("not '" + bad + "'"), e.getMessage());
        }
    }

    /** A head started without bin/cadre keeps a soft limit of 1,024 files: 64 node connections, unless set. */
    @Test
    void theNodeFigureCanBeSetAndTheClientsKeepWhatIsLeft() {
        assertEquals(64, ConnectionBounds.derive(1024).nodes());
        ConnectionBounds set = ConnectionBounds.fromEnvironment(Map.of(ConnectionBounds.NODE_CONNECTIONS_ENV, "300"),
                1024);
        assertEquals(300, set.nodes());
        assertEquals(512 - 300 - set.web(), set.clients(), "the clients keep what the nodes leave");
        assertEquals(1875, ConnectionBounds.fromEnvironment(Map.of(ConnectionBounds.NODE_CONNECTIONS_ENV, " "),
                20_000).nodes());
        for (String bad : new String[] {"0", "many", "382"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectionBounds
                    .fromEnvironment(Map.of(ConnectionBounds.NODE_CONNECTIONS_ENV, bad), 1024));
            assertTrue(e.getMessage().startsWith(ConnectionBounds.NODE_CONNECTIONS_ENV + " must be a whole number"
                    + " from 1 to 381 (this process may open 1024 files"), e.getMessage());
        }
        assertTrue(set.describe().contains(ConnectionBounds.NODE_CONNECTIONS_ENV), set.describe());
    }

    /**
     * A variable set to the figure derive gives changes nothing, and a node share set below derive's leaves the
     * clients derive's share. Before, at a limit under the reserve (256), either variable set to derive's 8 stopped
     * the start ("from 1 to 1", "from 3 to 3"), and a node share of 1 cut the clients from 8 to 3.
     */
    @Test
    void derivesFiguresSetExplicitlyAreTheDerivedBoundsAndFewerNodesNeverCostClients() {
        for (long limit : new long[] {64, 256, 520, 540, 560, 600, 1024, 4096, 20_000, 1_048_576}) {
            ConnectionBounds d = ConnectionBounds.derive(limit);
            String nodes = Integer.toString(d.nodes());
            String clients = Integer.toString(d.clients());
            assertEquals(d, ConnectionBounds.fromEnvironment(Map.of(ConnectionBounds.NODE_CONNECTIONS_ENV, nodes),
                    limit), "limit " + limit + ", nodes set to " + nodes);
            assertEquals(d, ConnectionBounds.fromEnvironment(Map.of(ConnectionBounds.CLIENT_CONNECTIONS_ENV,
                    clients), limit), "limit " + limit + ", clients set to " + clients);
            assertEquals(d, ConnectionBounds.fromEnvironment(Map.of(ConnectionBounds.NODE_CONNECTIONS_ENV, nodes,
                    ConnectionBounds.CLIENT_CONNECTIONS_ENV, clients), limit), "limit " + limit + ", both set");
            for (int fewer : new int[] {1, d.nodes() / 2, d.nodes() - 1}) {
                ConnectionBounds set = ConnectionBounds.fromEnvironment(Map.of(ConnectionBounds.NODE_CONNECTIONS_ENV,
                        Integer.toString(Math.max(1, fewer))), limit);
                assertEquals(d.clients(), set.clients(), "limit " + limit + ", nodes set to " + fewer);
            }
        }
    }

    /** Under the reserve a node share larger than derive's takes from the clients' least share, down to 3. */
    @Test
    void underTheReserveALargerNodeShareTakesFromTheClients() {
        ConnectionBounds d = ConnectionBounds.derive(256);
        assertEquals(8, d.clients());
        assertEquals(8, d.nodes());
        assertEquals(8, d.web());
        assertEquals(6, ConnectionBounds.fromEnvironment(Map.of(ConnectionBounds.NODE_CONNECTIONS_ENV, "10"), 256)
                .clients());
        assertEquals(3, ConnectionBounds.fromEnvironment(Map.of(ConnectionBounds.NODE_CONNECTIONS_ENV, "13"), 256)
                .clients());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectionBounds
                .fromEnvironment(Map.of(ConnectionBounds.NODE_CONNECTIONS_ENV, "14"), 256));
        assertTrue(e.getMessage().startsWith(ConnectionBounds.NODE_CONNECTIONS_ENV + " must be a whole number from 1"
                + " to 13 (this process may open 256 files"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConnectionBounds
                .fromEnvironment(Map.of(ConnectionBounds.CLIENT_CONNECTIONS_ENV, "9"), 256));
        assertTrue(e.getMessage().startsWith(ConnectionBounds.CLIENT_CONNECTIONS_ENV + " must be a whole number"
                + " from 3 to 8 (this process may open 256 files"), e.getMessage());
    }
}
