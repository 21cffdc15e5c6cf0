package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiscoveryAddressTest {
    private static final DiscoveryAddress.Card LO = new DiscoveryAddress.Card("lo", true, true, List.of("127.0.0.1"));
    private static final DiscoveryAddress.Card DOCKER =
            new DiscoveryAddress.Card("docker0", true, false, List.of("172.17.0.1"));
    private static final DiscoveryAddress.Card ETH = new DiscoveryAddress.Card("eth0", true, false, List.of("192.0.2.2"));

    @Test
    void theDefaultRouteIsReadFromProcNetRoute() {
        String route = """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                """;
        assertEquals(Optional.of("eth0"), DiscoveryAddress.defaultRouteInterface(route));
        assertEquals(Optional.empty(), DiscoveryAddress.defaultRouteInterface(route.lines().limit(2)
                .reduce("", (a, b) -> a + b + "\n")));
        assertEquals(Optional.empty(), DiscoveryAddress.defaultRouteInterface("garbage"));
    }

    @Test
    void theDefaultRoutesInterfaceWinsOverTheFirstOne() {
        assertEquals("192.0.2.2", DiscoveryAddress.choose(List.of(LO, DOCKER, ETH), Optional.of("eth0")));
    }

    @Test
    void withoutADefaultRouteTheFirstNonLoopbackInterfaceThatIsUp() {
        DiscoveryAddress.Card down = new DiscoveryAddress.Card("eth1", false, false, List.of("10.0.0.1"));
        DiscoveryAddress.Card v6only = new DiscoveryAddress.Card("eth2", true, false, List.of());
        assertEquals("192.0.2.2", DiscoveryAddress.choose(List.of(LO, down, v6only, ETH), Optional.empty()));
        assertEquals("192.0.2.2", DiscoveryAddress.choose(List.of(LO, ETH), Optional.of("wg0")));
    }

    @Test
    void onlyLoopbackIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DiscoveryAddress.choose(List.of(LO), Optional.empty()));
        assertEquals("no network interface that is up has an IPv4 address for mDNS;"
                + " pass --mdns-address ADDR (127.0.0.1 for a single machine)", e.getMessage());
    }
}
