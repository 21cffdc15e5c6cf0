package dev.cadre.cli;

import dev.cadre.node.LocalNetwork;
import java.util.regex.Pattern;

/**
 * The head's {@code --bind} value, judged before anything starts: an IPv4 address, an IPv6 address (bracketed in
 * every URL, with or without brackets as given), a host name, or one of the any-addresses {@code 0.0.0.0} and
 * {@code ::}. Unchecked, {@code ::} became {@code tcp://:::61616}, which no listener takes.
 *
 * @param host what the listeners bind to, IPv6 in brackets
 */
record BindAddress(Kind kind, String host) {
    enum Kind {
        /** 0.0.0.0 or ::: every address of the machine. */
        ANY,
        IPV4,
        IPV6,
        NAME
    }

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /** @throws IllegalArgumentException naming the value and what it should be */
    static BindAddress parse(String given) {
        String bare = given.startsWith("[") && given.endsWith("]") ? given.substring(1, given.length() - 1) : given;
        if (bare.equals("0.0.0.0")) {
            return new BindAddress(Kind.ANY, "0.0.0.0");
        }
        if (LocalNetwork.isIpv4Literal(bare) && bare.equals(given)) {
            return new BindAddress(Kind.IPV4, bare);
        }
        if (IPV6.matcher(bare).matches() && bare.length() <= 45 && isIpv6(bare)) {
            return new BindAddress(bare.replace("0", "").replace(":", "").isEmpty() ? Kind.ANY : Kind.IPV6,
                    "[" + bare + "]");
        }
        if (bare.equals(given) && given.length() <= 253 && DNS_NAME.matcher(given).matches()
                && !given.matches("[0-9.]+")) {
            return new BindAddress(Kind.NAME, given);
        }
        throw new IllegalArgumentException("--bind '" + given + "' is not an IPv4 address, an IPv6 address or a host"
                + " name (0.0.0.0 or :: for all addresses)");
    }

    private static boolean isIpv6(String literal) {
        try {
            // A literal with a colon: parsed, never looked up.
            return java.net.InetAddress.getByName("[" + literal + "]") instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The host clients are told to use: this machine's name when bound to all addresses. */
    String urlHost(String hostname) {
        return kind == Kind.ANY ? hostname : host;
    }
}
