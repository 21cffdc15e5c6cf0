package dev.cadre.node.core;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides what to make of each resolved mDNS announcement. mDNS resolves the same service several times
 * (first often without TXT keys), so a record already judged is a {@link Kind#REPEAT} and is logged once.
 */
public final class HeadSightings {
    public enum Kind {
        /** No TXT keys yet: another resolution will follow. */
        INCOMPLETE,
        /** Malformed or hostile: ignore, log the reason. */
        MALFORMED,
        /** A well-formed head of another cluster. */
        OTHER_CLUSTER,
        FOUND,
        /** Seen before with the same keys: already judged. */
        REPEAT
    }

    public record Verdict(Kind kind, HeadRecord head, String reason) {
    }

    private final String cluster;
    private final Set<String> seen = new HashSet<>();

    public HeadSightings(String cluster) {
        this.cluster = HeadRecord.checkCluster(cluster);
    }

    public synchronized Verdict see(String serviceName, Map<String, String> txt) {
        if (txt.isEmpty()) {
            return new Verdict(Kind.INCOMPLETE, null, "no TXT keys yet");
        }
        if (!seen.add(serviceName + "\u0000" + new java.util.TreeMap<>(txt))) {
            return new Verdict(Kind.REPEAT, null, "already seen");
        }
        HeadRecord head;
        try {
            head = HeadRecord.parse(txt);
        } catch (IllegalArgumentException e) {
            return new Verdict(Kind.MALFORMED, null, e.getMessage());
        }
        if (!head.cluster().equals(cluster)) {
            return new Verdict(Kind.OTHER_CLUSTER, head, "cluster '" + head.cluster() + "', not '" + cluster + "'");
        }
        return new Verdict(Kind.FOUND, head, "cluster '" + cluster + "'");
    }
}
