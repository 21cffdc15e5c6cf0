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
            return InetAddress.getByName(DiscoveryAddress.choose(cards(), defaultRouteInterface()));
        }
        if (!isIpv4Literal(configured)) {
            throw new IllegalArgumentException("mDNS address '" + configured + "' is not an IPv4 address");
        }
        InetAddress address = InetAddress.getByName(configured);
        if (NetworkInterface.getByInetAddress(address) == null) {
            throw new IllegalArgumentException("no network interface of this machine has the address " + configured);
        }
        return address;
    }

    public static boolean isIpv4Literal(String address) {
        return IPV4.matcher(address).matches();
    }

    private static Optional<String> defaultRouteInterface() {
        try {
            return DiscoveryAddress.defaultRouteInterface(Files.readString(Path.of("/proc/net/route")));
        } catch (IOException e) {
            return Optional.empty(); // not Linux: the first interface that is up will do
        }
    }

    private static List<DiscoveryAddress.Card> cards() throws SocketException {
        List<DiscoveryAddress.Card> cards = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            List<String> ipv4 = nif.inetAddresses().filter(a -> a instanceof Inet4Address)
                    .map(InetAddress::getHostAddress).toList();
            cards.add(new DiscoveryAddress.Card(nif.getName(), nif.isUp(), nif.isLoopback(), ipv4));
        }
        return cards;
    }
}
