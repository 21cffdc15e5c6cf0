package dev.cadre.node.core;

import java.util.List;
import java.util.Optional;

/**
 * Which IPv4 address mDNS binds to. Left to itself JmDNS may pick an IPv6 address on another interface,
 * where the peers never see it; so the address is chosen here: the default route's interface, else the
 * first non-loopback interface that is up.
 */
public final class DiscoveryAddress {
    /** A network interface as the choice needs it. */
    public record Card(String name, boolean up, boolean loopback, List<String> ipv4) {
    }

    private DiscoveryAddress() {
    }

    /** The interface of the IPv4 default route in the text of /proc/net/route, if there is one. */
    public static Optional<String> defaultRouteInterface(String procNetRoute) {
        return procNetRoute.lines().skip(1).map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000"))
                .map(f -> f[0]).findFirst();
    }

    /** @throws IllegalStateException when no interface that is up has an IPv4 address */
    public static String choose(List<Card> cards, Optional<String> defaultRouteInterface) {
        Optional<String> viaRoute = defaultRouteInterface.flatMap(name -> cards.stream()
                .filter(c -> c.name().equals(name) && c.up() && !c.ipv4().isEmpty()).findFirst())
                .map(c -> c.ipv4().get(0));
        return viaRoute.or(() -> cards.stream().filter(c -> c.up() && !c.loopback() && !c.ipv4().isEmpty())
                .findFirst().map(c -> c.ipv4().get(0)))
                .orElseThrow(() -> new IllegalStateException("no network interface that is up has an IPv4 address"
                        + " for mDNS; pass --mdns-address ADDR (127.0.0.1 for a single machine)"));
    }
}
