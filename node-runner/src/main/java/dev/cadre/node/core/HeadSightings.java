package dev.cadre.node.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Decides what to make of each resolved mDNS announcement, and which heads of the cluster were seen. mDNS resolves
 * the same service several times (first often without TXT keys), so a record already judged is a
 * {@link Kind#REPEAT} and is logged once. Several heads may claim one cluster (two test heads on the default name):
 * sightings keep coming in for a window after the first, so the node sees them all and can say so.
 * Anyone on the link can announce, so what is remembered and how much is worth logging are bounded.
 * <p>
 * A node restarted (an upgrade, a reboot) knows the head it joined last: once that head is announced again there is
 * no choice to make, and the node joins it at once instead of listening out the window, which would make every
 * restart take longer than a short node timeout. Only the announced address is compared with the known one; the
 * node never connects to a remembered address that is not announced now.
 */
public final class HeadSightings {
    /** Distinct records remembered for {@link Kind#REPEAT}; the oldest is forgotten past it. */
    static final int MAX_REMEMBERED = 256;
    /** Ignored records worth a log line each; the ones after are {@link Kind#MUTED}. */
    static final int MAX_LOGGED = 20;
    /** Distinct heads of the cluster kept as candidates; more are ignored (and would be no cluster anyway). */
    static final int MAX_CANDIDATES = 8;
    /** How many windows the wait for announced but unresolved services may last. */
    static final int PENDING_LIMIT = 5;

    public enum Kind {
        /** No TXT keys yet: another resolution will follow. */
        INCOMPLETE,
        /** Malformed or hostile: ignore, log the reason. */
        MALFORMED,
        /** A well-formed head of another cluster. */
        OTHER_CLUSTER,
        /** A head of the cluster: a candidate. */
        FOUND,
        /** Seen before with the same keys: already judged. */
        REPEAT,
        /**
         * Malformed, foreign or one candidate too many, after {@link #MAX_LOGGED} were logged: ignore quietly. The
         * first carries a reason saying so, the later ones none.
         */
        MUTED
    }

    public record Verdict(Kind kind, HeadRecord head, String reason) {
    }

    /** A head of the cluster as announced: its mDNS service name (which JmDNS makes unique) and record. */
    public record Sighting(String serviceName, HeadRecord head) {
        @Override
        public String toString() {
            return HeadRecord.quoted(serviceName) + " at " + head.brokerUrl();
        }
    }

    private final String cluster;
    private final Clock clock;
    private final Duration window;
    /** The broker URL of the head the node joined last, or null. */
    private final String known;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    /** By broker URL: one head re-announced under a second name is still one head. */
    private final Map<String, Sighting> candidates = new LinkedHashMap<>();
    /** Announced services not judged yet: the window waits for them, up to {@link #PENDING_LIMIT} windows. */
    private final Set<String> pending = new HashSet<>();
    private Instant firstFound;
    private int logged;

    /** @param window how long after the first head of the cluster other heads still count */
    public HeadSightings(String cluster, Clock clock, Duration window) {
        this(cluster, clock, window, null);
    }

    /** @param known the broker URL of the head the node joined last, or null: settled as soon as it is seen */
    public HeadSightings(String cluster, Clock clock, Duration window, String known) {
        this.cluster = HeadRecord.checkCluster(cluster);
        this.clock = clock;
        this.window = window;
        this.known = known;
    }

    /** A service was announced; its record is still to come, and is worth waiting for. */
    public synchronized void announced(String serviceName) {
        if (pending.size() < MAX_CANDIDATES) {
            pending.add(serviceName);
        }
    }

    public synchronized Verdict see(String serviceName, Map<String, String> txt) {
        if (txt.isEmpty()) {
            return new Verdict(Kind.INCOMPLETE, null, "no TXT keys yet");
        }
        pending.remove(serviceName);
        String key = serviceName + "\u0000" + new TreeMap<>(txt);
        if (seen.put(key, Boolean.TRUE) != null) {
            return new Verdict(Kind.REPEAT, null, "already seen");
        }
        HeadRecord head;
        try {
            head = HeadRecord.parse(txt);
        } catch (IllegalArgumentException e) {
            return ignored(new Verdict(Kind.MALFORMED, null, e.getMessage()));
        }
        if (!head.cluster().equals(cluster)) {
            return ignored(new Verdict(Kind.OTHER_CLUSTER, head, "cluster '" + head.cluster() + "', not '" + cluster
                    + "'"));
        }
        if (!candidates.containsKey(head.brokerUrl())) {
            if (candidates.size() >= MAX_CANDIDATES) {
                return ignored(new Verdict(Kind.MALFORMED, head, "more than " + MAX_CANDIDATES
                        + " heads claim cluster '" + cluster + "'"));
            }
            candidates.put(head.brokerUrl(), new Sighting(serviceName, head));
        }
        if (firstFound == null) {
            firstFound = clock.instant();
        }
        return new Verdict(Kind.FOUND, head, "cluster '" + cluster + "'");
    }

    private Verdict ignored(Verdict v) {
        logged++;
        if (logged <= MAX_LOGGED) {
            return v;
        }
        return new Verdict(Kind.MUTED, v.head(), logged == MAX_LOGGED + 1 ? MAX_LOGGED
                + " ignored mDNS announcements logged; not logging further ones" : null);
    }

    /** When the window after the first head ends; empty while none was seen. */
    public synchronized Optional<Instant> settlesAt() {
        return Optional.ofNullable(firstFound).map(f -> f.plus(window));
    }

    /**
     * The heads of the cluster in the order they were seen, once the window is over and every service announced
     * meanwhile has resolved (or {@link #PENDING_LIMIT} windows have passed); empty before. As soon as the known
     * head is seen: that head, before any other seen so far.
     */
    public synchronized Optional<List<Sighting>> settled() {
        Sighting knownHead = known == null ? null : candidates.get(known);
        if (knownHead != null) {
            List<Sighting> heads = new ArrayList<>(List.of(knownHead));
            candidates.values().stream().filter(c -> c != knownHead).forEach(heads::add);
            return Optional.of(List.copyOf(heads));
        }
        Instant now = clock.instant();
        if (firstFound == null || now.isBefore(firstFound.plus(window))
                || !pending.isEmpty() && now.isBefore(firstFound.plus(window.multipliedBy(PENDING_LIMIT)))) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(candidates.values()));
    }

    /** How many distinct records are remembered. */
    synchronized int remembered() {
        return seen.size();
    }

    /** The heads seen so far, settled or not. */
    public synchronized List<Sighting> candidates() {
        return new ArrayList<>(candidates.values());
    }

    /** Service names come from anyone on the link: cut short, control characters shown escaped. */
    public static String quoted(String untrusted) {
        return HeadRecord.quoted(untrusted);
    }

    /** A warning naming every head when more than one claims the cluster. */
    public static Optional<String> conflict(String cluster, List<Sighting> heads) {
        if (heads.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(heads.size() + " heads announce cluster '" + cluster + "': "
                + heads.stream().map(Sighting::toString).collect(Collectors.joining(", "))
                + "; this node tries them in that order and joins the first that accepts its node.json;"
                + " give each cluster its own --cluster NAME (head and nodes), or pass --server");
    }
}
