package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.node.HeadDiscovery;
import dev.cadre.node.LocalNetwork;
import dev.cadre.node.core.HeadRecord;
import dev.cadre.node.core.HeadSightings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Real mDNS on the loopback interface; the cluster name is unique so that other heads here do not count. */
class HeadAnnouncementTest {
    private static final String CLUSTER = "a" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aHeadWithNoAddressYetStartsAndAnnouncesOnceOneAppears() throws Exception {
        InetAddress loopback = LocalNetwork.mdnsAddress("127.0.0.1");
        AtomicReference<Optional<InetAddress>> address = new AtomicReference<>(Optional.empty());
        try (HeadAnnouncement announcement = HeadAnnouncement.follow(address::get,
                from -> new HeadRecord(CLUSTER, "tcp://" + from.getHostAddress() + ":47100"), 47100,
                Duration.ofMillis(200))) {
            assertEquals(HeadDiscovery.HeadNotFoundException.class, notFound(loopback).getClass(),
                    "no address, no announcement (and no failure)");
            address.set(Optional.of(loopback));
            List<HeadSightings.Sighting> heads = HeadDiscovery.find(loopback, CLUSTER, Duration.ofSeconds(20),
                    Duration.ofMillis(500));
            assertEquals(List.of(new HeadRecord(CLUSTER, "tcp://127.0.0.1:47100")),
                    heads.stream().map(HeadSightings.Sighting::head).toList());
        }
    }

    private static Throwable notFound(InetAddress loopback) {
        try {
            HeadDiscovery.find(loopback, CLUSTER, Duration.ofSeconds(2), Duration.ofMillis(500));
            return new AssertionError("found a head that was never announced");
        } catch (Exception e) {
            return e;
        }
    }
}
