package dev.cadre.node.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a head announces over mDNS, as TXT keys: {@code v=1}, {@code cluster=NAME} and
 * {@code broker=tcp://ADDR:PORT}. Anyone on the link can announce, so parsing accepts only a bare host and
 * port: a URL with parameters could switch off checks in the client or point it at something else.
 */
public record HeadRecord(String cluster, String brokerUrl) {
    public static final String VERSION = "1";
    private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern BROKER = Pattern.compile("tcp://([A-Za-z0-9.-]{1,253}):([0-9]{1,5})");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public HeadRecord {
        checkCluster(cluster);
        checkBrokerUrl(brokerUrl);
    }

    public Map<String, String> txt() {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("v", VERSION);
        txt.put("cluster", cluster);
        txt.put("broker", brokerUrl);
        return txt;
    }

    /** @throws IllegalArgumentException naming what is wrong with the record */
    public static HeadRecord parse(Map<String, String> txt) {
        String version = txt.get("v");
        if (!VERSION.equals(version)) {
            throw new IllegalArgumentException("unsupported record version " + quoted(version));
        }
        return new HeadRecord(txt.get("cluster"), txt.get("broker"));
    }

    public static String checkCluster(String cluster) {
        if (cluster == null || !CLUSTER.matcher(cluster).matches()) {
            throw new IllegalArgumentException("cluster name " + quoted(cluster)
                    + " must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return cluster;
    }

    static void checkBrokerUrl(String url) {
        Matcher m = url == null ? null : BROKER.matcher(url);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("broker address " + quoted(url) + " is not tcp://HOST:PORT");
        }
        String host = m.group(1);
        if (IPV4.matcher(host).matches()) {
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("broker address " + quoted(url) + " has a bad IPv4 address");
                }
            }
        } else if (!DNS_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("broker address " + quoted(url) + " has a bad host name");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("broker address " + quoted(url) + " has a port out of range");
        }
    }

    /** Quotes untrusted text for a log line, cut short and with control characters escaped. */
    static String quoted(String s) {
        if (s == null) {
            return "(missing)";
        }
        StringBuilder b = new StringBuilder("'");
        s.codePoints().limit(80).forEach(c -> b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
                : new String(Character.toChars(c))));
        return b.append(s.length() > 80 ? "...'" : "'").toString();
    }
}
