package dev.cadre.cli;

import dev.cadre.node.HeadDiscovery;
import dev.cadre.node.core.HeadRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the head's broker over mDNS so that 'cadre node' finds it without --server. Registering probes
 * the link for ~1.5 s, so it runs in the background: the head is usable before it is announced.
 */
final class HeadAnnouncement implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeadAnnouncement.class);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cadre-mdns-announce");
        t.setDaemon(true);
        return t;
    });
    private JmDNS mdns;

    private HeadAnnouncement() {
    }

    static HeadAnnouncement start(InetAddress address, HeadRecord head, int port) {
        HeadAnnouncement a = new HeadAnnouncement();
        a.worker.execute(() -> a.announce(address, head, port));
        return a;
    }

    private void announce(InetAddress address, HeadRecord head, int port) {
        try {
            mdns = JmDNS.create(address, "cadre-head-" + address.getHostAddress().replace('.', '-'));
            mdns.registerService(ServiceInfo.create(HeadDiscovery.SERVICE_TYPE, head.cluster(), port, 0, 0,
                    head.txt()));
            LOG.info("announced {} over mDNS on {}: cluster '{}', broker {}", HeadDiscovery.SERVICE_TYPE,
                    address.getHostAddress(), head.cluster(), head.brokerUrl());
        } catch (IOException | RuntimeException e) {
            LOG.warn("mDNS announcement on {} failed ({}); nodes must be given --server {}",
                    address.getHostAddress(), e, head.brokerUrl());
        }
    }

    @Override
    public void close() throws InterruptedException {
        // After the announcement ran, so that close never races a half-made JmDNS.
        worker.execute(() -> {
            if (mdns != null) {
                try {
                    mdns.unregisterAllServices();
                    mdns.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("mDNS close: {}", e.toString());
                }
            }
        });
        worker.shutdown();
        // The goodbye goes out at once; JmDNS then lingers ~4 s, which no one needs to wait for (a node that
        // still finds the stale record fails to connect and says so).
        if (!worker.awaitTermination(1, TimeUnit.SECONDS)) {
            LOG.debug("mDNS still closing; not waiting for it");
        }
    }
}
