package dev.cadre.node;

import dev.cadre.node.core.HeadRecord;
import dev.cadre.node.core.HeadSightings;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** Browses until a well-formed announcement of the cluster resolves, or the wait is over. */
    public static HeadRecord find(InetAddress address, String cluster, Duration wait)
            throws IOException, InterruptedException, HeadNotFoundException {
        HeadSightings sightings = new HeadSightings(cluster);
        CompletableFuture<HeadRecord> found = new CompletableFuture<>();
        JmDNS mdns = JmDNS.create(address, "cadre-node-" + NodeIdentity.hostname());
        try {
            mdns.addServiceListener(SERVICE_TYPE, new ServiceListener() {
                @Override
                public void serviceAdded(ServiceEvent event) {
                    event.getDNS().requestServiceInfo(event.getType(), event.getName(), 1);
                }

                @Override
                public void serviceRemoved(ServiceEvent event) {
                }

                @Override
                public void serviceResolved(ServiceEvent event) {
                    judge(sightings, event.getName(), event.getInfo(), found);
                }
            });
            return found.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new HeadNotFoundException("no head of cluster '" + cluster + "' announced " + SERVICE_TYPE
                    + " over mDNS on " + address.getHostAddress() + " within " + wait.toSeconds()
                    + " s; where multicast is filtered, pass --server tcp://HEAD:PORT");
        } catch (ExecutionException e) {
            throw new IOException("mDNS discovery failed", e.getCause());
        } finally {
            // Closing sends goodbyes and takes ~2 s; the node need not wait for it to join.
            Thread closer = new Thread(() -> closeQuietly(mdns), "cadre-mdns-close");
            closer.setDaemon(true);
            closer.start();
        }
    }

    private static void judge(HeadSightings sightings, String name, ServiceInfo info,
            CompletableFuture<HeadRecord> found) {
        try {
            HeadSightings.Verdict v = sightings.see(name, txt(info));
            if (v.kind() == HeadSightings.Kind.MALFORMED) {
                LOG.warn("ignoring mDNS announcement '{}': {}", name, v.reason());
            } else if (v.kind() == HeadSightings.Kind.OTHER_CLUSTER) {
                LOG.info("ignoring head '{}' at {}: {}", name, v.head().brokerUrl(), v.reason());
            } else if (v.kind() == HeadSightings.Kind.FOUND) {
                found.complete(v.head());
            }
        } catch (RuntimeException e) {
            // A listener that throws would stop JmDNS from delivering later announcements.
            LOG.warn("ignoring unreadable mDNS announcement '{}': {}", name, e.toString());
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
