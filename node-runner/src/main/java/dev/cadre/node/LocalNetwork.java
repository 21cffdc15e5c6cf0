package dev.cadre.node;

import dev.cadre.node.core.DiscoveryAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads this machine's interfaces and default route to pick the address mDNS binds to. */
public final class LocalNetwork {
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private LocalNetwork() {
    }

    /**
     * @param configured an IPv4 address given by the user, or null to choose
     * @throws IllegalArgumentException when the configured address is not an IPv4 address of this machine
     */
    public static InetAddress mdnsAddress(String configured) throws IOException {
        if (configured == null) {
            return InetAddress.getByName(DiscoveryAddress.choose(cards(), defaultRoute()));
        }
        if (!isIpv4Literal(configured)) {
            throw new IllegalArgumentException("mDNS address '" + configured + "' is not an IPv4 address");
        }
        // A literal: no name lookup happens.
        InetAddress address = InetAddress.getByName(configured);
        if (NetworkInterface.getByInetAddress(address) == null) {
            throw new IllegalArgumentException("no network interface of this machine has the address " + configured);
        }
        return address;
    }

    /** The address chosen now, or empty when no interface that is up has one (the head may start before DHCP). */
    public static Optional<InetAddress> chosenAddress() throws IOException {
        try {
            return Optional.of(mdnsAddress(null));
        } catch (IllegalStateException none) {
            return Optional.empty();
        }
    }

    /** Four decimal octets of 0-255: what InetAddress takes without a name lookup. */
    public static boolean isIpv4Literal(String address) {
        if (address == null || !IPV4.matcher(address).matches()) {
            return false;
        }
        for (String octet : address.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static Optional<DiscoveryAddress.Route> defaultRoute() {
        try {
            return DiscoveryAddress.defaultRoute(Files.readString(Path.of("/proc/net/route")));
        } catch (IOException e) {
            return Optional.empty(); // not Linux: the first interface that is up will do
        }
    }

    private static List<DiscoveryAddress.Card> cards() throws SocketException {
        List<DiscoveryAddress.Card> cards = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            List<DiscoveryAddress.Address> ipv4 = nif.getInterfaceAddresses().stream()
                    .filter(a -> a.getAddress() instanceof Inet4Address)
                    .map(a -> new DiscoveryAddress.Address(a.getAddress().getHostAddress(), a.getNetworkPrefixLength()))
                    .toList();
            cards.add(new DiscoveryAddress.Card(nif.getName(), nif.isUp(), nif.isLoopback(), ipv4));
        }
        return cards;
    }
}
