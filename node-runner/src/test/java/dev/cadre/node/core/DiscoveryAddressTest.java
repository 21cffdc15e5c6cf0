package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiscoveryAddressTest {
    private static final DiscoveryAddress.Card LO = DiscoveryAddress.Card.of("lo", true, true, List.of("127.0.0.1"));
    private static final DiscoveryAddress.Card DOCKER =
            DiscoveryAddress.Card.of("docker0", true, false, List.of("172.17.0.1"));
    private static final DiscoveryAddress.Card ETH = DiscoveryAddress.Card.of("eth0", true, false, List.of("192.0.2.2"));

    @Test
    void theDefaultRouteIsReadFromProcNetRoute() {
        String route = """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                """;
        assertEquals(Optional.of(new DiscoveryAddress.Route("eth0", Optional.of("192.0.2.1"))),
                DiscoveryAddress.defaultRoute(route));
        assertEquals(Optional.empty(), DiscoveryAddress.defaultRoute(route.lines().limit(2)
                .reduce("", (a, b) -> a + b + "\n")));
        assertEquals(Optional.empty(), DiscoveryAddress.defaultRoute("garbage"));
    }

    @Test
    void theDefaultRoutesInterfaceWinsOverTheFirstOne() {
        assertEquals("192.0.2.2", DiscoveryAddress.choose(List.of(LO, DOCKER, ETH), route("eth0")));
    }

    @Test
    void withoutADefaultRouteTheFirstNonLoopbackInterfaceThatIsUp() {
        DiscoveryAddress.Card down = DiscoveryAddress.Card.of("eth1", false, false, List.of("10.0.0.1"));
        DiscoveryAddress.Card v6only = DiscoveryAddress.Card.of("eth2", true, false, List.of());
        assertEquals("192.0.2.2", DiscoveryAddress.choose(List.of(LO, down, v6only, ETH), Optional.empty()));
        assertEquals("192.0.2.2", DiscoveryAddress.choose(List.of(LO, ETH), route("wg0")));
    }

    @Test
    void ofAnInterfacesAddressesTheGatewaysSubnetWinsThenAnyButLinkLocal() {
        DiscoveryAddress.Card dhcpLate = new DiscoveryAddress.Card("eth0", true, false, List.of(
                new DiscoveryAddress.Address("169.254.7.9", 16), new DiscoveryAddress.Address("10.9.0.5", 24)));
        assertEquals("10.9.0.5", DiscoveryAddress.choose(List.of(LO, dhcpLate), route("eth0")));
        assertEquals("10.9.0.5", DiscoveryAddress.choose(List.of(LO, dhcpLate), Optional.empty()));
        DiscoveryAddress.Card onlyLinkLocal = DiscoveryAddress.Card.of("eth0", true, false, List.of("169.254.7.9"));
        assertEquals("169.254.7.9", DiscoveryAddress.choose(List.of(LO, onlyLinkLocal), route("eth0")),
                "better than none");

        DiscoveryAddress.Card secondary = new DiscoveryAddress.Card("eth0", true, false, List.of(
                new DiscoveryAddress.Address("172.16.5.5", 24), new DiscoveryAddress.Address("192.0.2.2", 24)));
        assertEquals("192.0.2.2", DiscoveryAddress.choose(List.of(secondary), Optional.of(
                new DiscoveryAddress.Route("eth0", Optional.of("192.0.2.1")))), "the gateway's subnet");
        assertEquals("172.16.5.5", DiscoveryAddress.choose(List.of(secondary), route("eth0")),
                "no gateway known: the first");
    }

    private static Optional<DiscoveryAddress.Route> route(String name) {
        return Optional.of(new DiscoveryAddress.Route(name, Optional.empty()));
    }

    @Test
    void onlyLoopbackIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DiscoveryAddress.choose(List.of(LO), Optional.empty()));
        assertEquals("no network interface that is up has an IPv4 address for mDNS;"
                + " pass --mdns-address ADDR (127.0.0.1 for a single machine)", e.getMessage());
    }
}
