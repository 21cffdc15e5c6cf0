package dev.cadre.node.core;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which IPv4 address mDNS binds to. Left to itself JmDNS may pick an IPv6 address on another interface,
 * where the peers never see it; so the address is chosen here: the default route's interface, else the
 * first non-loopback interface that is up. Of an interface's addresses the one in the gateway's subnet wins, then
 * any but a 169.254 link-local one (which a card gets while DHCP has not answered, and which peers on the
 * real subnet cannot reach), in the order the interface lists them.
 */
public final class DiscoveryAddress {
    /** An IPv4 address of an interface with its prefix length (32 where unknown). */
    public record Address(String ip, int prefix) {
    }

    /** A network interface as the choice needs it. */
    public record Card(String name, boolean up, boolean loopback, List<Address> addresses) {
        /** Addresses without known prefixes. */
        public static Card of(String name, boolean up, boolean loopback, List<String> ipv4) {
            return new Card(name, up, loopback, ipv4.stream().map(a -> new Address(a, 32)).toList());
        }
    }

    /** The IPv4 default route: its interface, and its gateway when it has one. */
    public record Route(String interfaceName, Optional<String> gateway) {
    }

    private DiscoveryAddress() {
    }

    /** The IPv4 default route in the text of /proc/net/route, if there is one. */
    public static Optional<Route> defaultRoute(String procNetRoute) {
        return procNetRoute.lines().skip(1).map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000"))
                .map(f -> new Route(f[0], gateway(f[2]))).findFirst();
    }

    /** /proc/net/route writes the gateway as little-endian hex; 0 is none. */
    private static Optional<String> gateway(String hex) {
        try {
            long v = Long.parseLong(hex, 16);
            if (v == 0 || hex.length() != 8) {
                return Optional.empty();
            }
            return Optional.of((v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @throws IllegalStateException when no interface that is up has an IPv4 address */
    public static String choose(List<Card> cards, Optional<Route> defaultRoute) {
        Optional<String> viaRoute = defaultRoute.flatMap(route -> cards.stream()
                .filter(c -> c.name().equals(route.interfaceName()) && c.up() && !c.addresses().isEmpty())
                .findFirst().map(c -> best(c, route.gateway())));
        return viaRoute.or(() -> cards.stream().filter(c -> c.up() && !c.loopback() && !c.addresses().isEmpty())
                .findFirst().map(c -> best(c, Optional.empty())))
                .orElseThrow(() -> new IllegalStateException("no network interface that is up has an IPv4 address"
                        + " for mDNS; pass --mdns-address ADDR (127.0.0.1 for a single machine)"));
    }

    private static String best(Card card, Optional<String> gateway) {
        Comparator<Address> rank = Comparator.comparing((Address a) -> !gateway.map(g -> sameSubnet(a, g)).orElse(false))
                .thenComparing(a -> a.ip().startsWith("169.254."));
        return card.addresses().stream().sorted(rank).findFirst().orElseThrow().ip();
    }

    private static boolean sameSubnet(Address a, String other) {
        if (a.prefix() <= 0 || a.prefix() >= 32) {
            return false;
        }
        long mask = 0xffffffffL << (32 - a.prefix()) & 0xffffffffL;
        return (bits(a.ip()) & mask) == (bits(other) & mask);
    }

    private static long bits(String ipv4) {
        long v = 0;
        for (String octet : ipv4.split("\\.")) {
            v = v << 8 | Integer.parseInt(octet);
        }
        return v;
    }
}
