package dev.cadre.node;

import dev.cadre.node.core.HeadSightings;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the head of a cluster by browsing mDNS for {@value #SERVICE_TYPE}. */
public final class HeadDiscovery {
    public static final String SERVICE_TYPE = "_cadre._tcp.local.";
    private static final Logger LOG = LoggerFactory.getLogger(HeadDiscovery.class);

    public static final class HeadNotFoundException extends Exception {
        HeadNotFoundException(String message) {
            super(message);
        }
    }

    private HeadDiscovery() {
    }

    /**
     * Browses until a well-formed announcement of the cluster resolves, then for {@code window} more, so that every
     * head claiming the cluster is seen; warns naming them all when there are several.
     *
     * @return the heads of the cluster in the order they were seen, at least one
     */
    public static List<HeadSightings.Sighting> find(InetAddress address, String cluster, Duration wait,
            Duration window) throws IOException, InterruptedException, HeadNotFoundException {
        return find(address, cluster, wait, window, null);
    }

    /**
     * As {@link #find(InetAddress, String, Duration, Duration)}, and done as soon as the head the node found last
     * is announced again (see {@link LastHead}); records the head when it is the only one found.
     *
     * @param last the node's record of the head it found last, or null
     */
    public static List<HeadSightings.Sighting> find(InetAddress address, String cluster, Duration wait,
            Duration window, LastHead last) throws IOException, InterruptedException, HeadNotFoundException {
        List<HeadSightings.Sighting> heads = browse(address, cluster, wait, window,
                last == null ? null : last.forFirstBrowse());
        if (last != null && heads.size() == 1) {
            last.found(heads.get(0).head().brokerUrl());
        }
        return heads;
    }

    private static List<HeadSightings.Sighting> browse(InetAddress address, String cluster, Duration wait,
            Duration window, String known) throws IOException, InterruptedException, HeadNotFoundException {
        Clock clock = Clock.systemUTC();
        HeadSightings sightings = new HeadSightings(cluster, clock, window, known);
        Object judged = new Object();
        JmDNS mdns = JmDNS.create(address, "cadre-node-" + NodeIdentity.hostname());
        try {
            mdns.addServiceListener(SERVICE_TYPE, new ServiceListener() {
                @Override
                public void serviceAdded(ServiceEvent event) {
                    sightings.announced(event.getName());
                    event.getDNS().requestServiceInfo(event.getType(), event.getName(), 1);
                }

                @Override
                public void serviceRemoved(ServiceEvent event) {
                }

                @Override
                public void serviceResolved(ServiceEvent event) {
                    judge(sightings, event.getName(), event.getInfo());
                    synchronized (judged) {
                        judged.notifyAll();
                    }
                }
            });
            Instant deadline = clock.instant().plus(wait);
            synchronized (judged) {
                while (true) {
                    Optional<List<HeadSightings.Sighting>> heads = sightings.settled();
                    if (heads.isPresent()) {
                        HeadSightings.conflict(cluster, heads.get()).ifPresent(LOG::warn);
                        return heads.get();
                    }
                    Instant until = sightings.settlesAt().orElse(deadline);
                    long millis = Duration.between(clock.instant(), until).toMillis();
                    if (sightings.settlesAt().isEmpty() && millis <= 0) {
                        throw new HeadNotFoundException("no head of cluster '" + cluster + "' announced "
                                + SERVICE_TYPE + " over mDNS on " + address.getHostAddress() + " within "
                                + wait.toSeconds() + " s; where multicast is filtered, pass --server tcp://HEAD:PORT");
                    }
                    judged.wait(millis > 0 ? Math.min(millis, 200) : 50);
                }
            }
        } finally {
            // Closing sends goodbyes and takes ~2 s; the node need not wait for it to join.
            Thread closer = new Thread(() -> closeQuietly(mdns), "cadre-mdns-close");
            closer.setDaemon(true);
            closer.start();
        }
    }

    private static void judge(HeadSightings sightings, String name, ServiceInfo info) {
        try {
            HeadSightings.Verdict v = sightings.see(name, txt(info));
            switch (v.kind()) {
                case MALFORMED -> LOG.warn("ignoring mDNS announcement {}: {}", HeadSightings.quoted(name), v.reason());
                case OTHER_CLUSTER -> LOG.info("ignoring head {} at {}: {}", HeadSightings.quoted(name), v.head().brokerUrl(),
                        v.reason());
                case MUTED -> {
                    if (v.reason() != null) {
                        LOG.warn(v.reason());
                    }
                }
                default -> {
                }
            }
        } catch (RuntimeException e) {
            // A listener that throws would stop JmDNS from delivering later announcements.
            LOG.warn("ignoring unreadable mDNS announcement {}: {}", HeadSightings.quoted(name), e.toString());
        }
    }

    private static Map<String, String> txt(ServiceInfo info) {
        Map<String, String> txt = new LinkedHashMap<>();
        for (String key : Collections.list(info.getPropertyNames())) {
            String value = info.getPropertyString(key);
            txt.put(key, value == null ? "" : value);
        }
        return txt;
    }

    private static void closeQuietly(JmDNS mdns) {
        try {
            mdns.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("mDNS close: {}", e.toString());
        }
    }
}
