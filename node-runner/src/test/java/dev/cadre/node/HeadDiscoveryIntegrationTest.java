package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.HeadRecord;
import dev.cadre.node.core.HeadSightings;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mDNS on the loopback interface; cluster names are unique so that other heads here do not count. */
class HeadDiscoveryIntegrationTest {
    private static final String CLUSTER = "t" + UUID.randomUUID().toString().substring(0, 8);
    /** As the node's own (Daemons.DISCOVERY_WINDOW): a loaded machine resolved the second head after 2 s. */
    private static final Duration WINDOW = Duration.ofSeconds(5);

    /** Two heads claiming one cluster, each from its own JmDNS as two machines would: the node sees both. */
    @Test
    void everyHeadClaimingTheClusterIsFoundInTheOrderSeen() throws Exception {
        InetAddress loopback = LocalNetwork.mdnsAddress("127.0.0.1");
        String cluster = CLUSTER + "-two";
        HeadRecord first = new HeadRecord(cluster, "tcp://127.0.0.1:47001");
        HeadRecord second = new HeadRecord(cluster, "tcp://localhost:47002");
        try (JmDNS a = JmDNS.create(loopback, "test-head-a"); JmDNS b = JmDNS.create(loopback, "test-head-b")) {
            a.registerService(ServiceInfo.create(HeadDiscovery.SERVICE_TYPE, cluster, 47001, 0, 0, first.txt()));
            b.registerService(ServiceInfo.create(HeadDiscovery.SERVICE_TYPE, cluster + "-b", 47002, 0, 0,
                    second.txt()));
            List<HeadSightings.Sighting> heads = HeadDiscovery.find(loopback, cluster, Duration.ofSeconds(20), WINDOW);
            assertEquals(Set.of(first, second), heads.stream().map(HeadSightings.Sighting::head)
                    .collect(Collectors.toSet()), "both heads, not the first to answer: " + heads);
        }
    }

    /** A restart (an upgrade, a reboot) joins the head found last as soon as it answers, not a window later. */
    @Test
    void aRestartedNodeTakesTheHeadItFoundLastWithoutListeningOutTheWindow(@TempDir Path state) throws Exception {
        InetAddress loopback = LocalNetwork.mdnsAddress("127.0.0.1");
        String cluster = CLUSTER + "-again";
        HeadRecord head = new HeadRecord(cluster, "tcp://127.0.0.1:47003");
        // Long, so that half of it proves the restart did not listen it out yet leaves a loaded machine its time.
        Duration window = Duration.ofSeconds(20);
        try (JmDNS a = JmDNS.create(loopback, "test-head-again")) {
            a.registerService(ServiceInfo.create(HeadDiscovery.SERVICE_TYPE, cluster, 47003, 0, 0, head.txt()));
            long start = System.nanoTime();
            List<HeadSightings.Sighting> first = HeadDiscovery.find(loopback, cluster, Duration.ofSeconds(20), window,
                    new LastHead(state));
            assertEquals(List.of(head), first.stream().map(HeadSightings.Sighting::head).toList());
            assertTrue(System.nanoTime() - start >= window.toNanos(), "a first start listens out the window");
            assertEquals(head.brokerUrl() + "\n", Files.readString(state.resolve(LastHead.FILE)));

            start = System.nanoTime();
            List<HeadSightings.Sighting> again = HeadDiscovery.find(loopback, cluster, Duration.ofSeconds(20), window,
                    new LastHead(state));
            long took = System.nanoTime() - start;
            assertEquals(List.of(head), again.stream().map(HeadSightings.Sighting::head).toList());
            assertTrue(took < window.toNanos() / 2, "a restart joins at once, not after the window: "
                    + Duration.ofNanos(took).toMillis() + " ms");
        }
    }

    @Test
    void hostileAndMalformedAnnouncementsAreSkippedAndTheRealHeadIsFound() throws Exception {
        InetAddress loopback = LocalNetwork.mdnsAddress("127.0.0.1");
        try (JmDNS announcer = JmDNS.create(loopback, "test-announcer")) {
            announcer.registerService(ServiceInfo.create(HeadDiscovery.SERVICE_TYPE, CLUSTER + "-evil", 1, 0, 0,
                    Map.of("v", "1", "cluster", CLUSTER, "broker", "tcp://127.0.0.1:1?sslEnabled=false")));
            // TXT bytes that are no key=value pairs at all: lengths past the end, invalid UTF-8.
            announcer.registerService(ServiceInfo.create(HeadDiscovery.SERVICE_TYPE, CLUSTER + "-garbage", 2, 0, 0,
                    new byte[] {(byte) 200, (byte) 0xff, (byte) 0xfe, 0, 3, '=', '=', '='}));
            announcer.registerService(ServiceInfo.create(HeadDiscovery.SERVICE_TYPE, CLUSTER + "-ctl", 3, 0, 0,
                    ("\u0010cluster=\n\u0000\u0007" + CLUSTER).getBytes(StandardCharsets.ISO_8859_1)));
            assertThrows(HeadDiscovery.HeadNotFoundException.class,
                    () -> HeadDiscovery.find(loopback, CLUSTER, Duration.ofSeconds(3), WINDOW), "bad records are no head");

            HeadRecord real = new HeadRecord(CLUSTER, "tcp://127.0.0.1:61616");
            announcer.registerService(ServiceInfo.create(HeadDiscovery.SERVICE_TYPE, CLUSTER, 61616, 0, 0,
                    real.txt()));

            assertEquals(List.of(real), HeadDiscovery.find(loopback, CLUSTER, Duration.ofSeconds(20), WINDOW).stream()
                    .map(HeadSightings.Sighting::head).toList());
        }
    }

    @Test
    void noHeadIsAClearErrorAfterTheWait() throws Exception {
        InetAddress loopback = LocalNetwork.mdnsAddress("127.0.0.1");
        long start = System.nanoTime();
        HeadDiscovery.HeadNotFoundException e = assertThrows(HeadDiscovery.HeadNotFoundException.class,
                () -> HeadDiscovery.find(loopback, CLUSTER + "-none", Duration.ofSeconds(1), WINDOW));
        assertEquals("no head of cluster '" + CLUSTER + "-none' announced _cadre._tcp.local. over mDNS on 127.0.0.1"
                + " within 1 s; where multicast is filtered, pass --server tcp://HEAD:PORT", e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the wait is bounded");
    }

    @Test
    void anAddressThatIsNotThisMachinesIsRefused() {
        assertEquals("no network interface of this machine has the address 192.0.2.254",
                assertThrows(IllegalArgumentException.class, () -> LocalNetwork.mdnsAddress("192.0.2.254"))
                        .getMessage());
        assertEquals("mDNS address 'eth0' is not an IPv4 address",
                assertThrows(IllegalArgumentException.class, () -> LocalNetwork.mdnsAddress("eth0")).getMessage());
        // Shaped like an address, but no IPv4 one: refused as such, not looked up as a host name.
        assertEquals("mDNS address '999.1.1.1' is not an IPv4 address",
                assertThrows(IllegalArgumentException.class, () -> LocalNetwork.mdnsAddress("999.1.1.1")).getMessage());
    }
}
