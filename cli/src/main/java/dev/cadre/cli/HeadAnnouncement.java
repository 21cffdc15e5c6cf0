package dev.cadre.cli;

import dev.cadre.node.HeadDiscovery;
import dev.cadre.node.NodeIdentity;
import dev.cadre.node.core.AnnouncedAddress;
import dev.cadre.node.core.HeadRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the head's broker over mDNS so that 'cadre node' finds it without --server. Registering probes
 * the link for ~1.5 s, so it runs in the background: the head is usable before it is announced. Where the address
 * is chosen rather than given, it is looked at again every poll interval ({@link AnnouncedAddress} decides): a head
 * that started before its network, or whose address DHCP changed, announces the address it has now.
 */
final class HeadAnnouncement implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeadAnnouncement.class);
    static final Duration POLL = Duration.ofSeconds(10);
    /** How often a head with no address to announce from says so again. */
    private static final Duration REMIND = Duration.ofMinutes(10);

    /** The address to announce from now; empty when there is none (yet). */
    interface AddressSource {
        Optional<InetAddress> current() throws IOException;
    }

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-mdns-announce");
        t.setDaemon(true);
        return t;
    });
    private final AddressSource source;
    private final Function<InetAddress, HeadRecord> record;
    private final int port;
    private final AnnouncedAddress plan = new AnnouncedAddress(Clock.systemUTC(), REMIND);
    private JmDNS mdns;

    private HeadAnnouncement(AddressSource source, Function<InetAddress, HeadRecord> record, int port) {
        this.source = source;
        this.record = record;
        this.port = port;
    }

    /** Announces from a fixed address, once. */
    static HeadAnnouncement start(InetAddress address, Function<InetAddress, HeadRecord> record, int port) {
        HeadAnnouncement a = new HeadAnnouncement(() -> Optional.of(address), record, port);
        a.worker.execute(a::poll);
        return a;
    }

    /** Announces from the address the source gives, looking again every {@code poll}. */
    static HeadAnnouncement follow(AddressSource source, Function<InetAddress, HeadRecord> record, int port,
            Duration poll) {
        HeadAnnouncement a = new HeadAnnouncement(source, record, port);
        a.worker.scheduleWithFixedDelay(a::poll, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
        return a;
    }

    private void poll() {
        Optional<InetAddress> address;
        String none = "no network interface that is up has an IPv4 address";
        try {
            address = source.current();
        } catch (IOException | RuntimeException e) {
            address = Optional.empty();
            none = "the network interfaces cannot be read (" + e + ")";
        }
        AnnouncedAddress.Step step = plan.next(address.map(InetAddress::getHostAddress), none);
        if (step instanceof AnnouncedAddress.Step.Warn w) {
            LOG.warn(w.warning());
        } else if (step instanceof AnnouncedAddress.Step.Announce a) {
            a.previous().ifPresent(old -> LOG.warn("the head's address changed from {} to {}: announcing the new one"
                    + " over mDNS", old, a.address()));
            withdraw();
            announce(address.orElseThrow());
        }
    }

    private void announce(InetAddress address) {
        HeadRecord head = null;
        try {
            head = record.apply(address);
            mdns = JmDNS.create(address, "cadre-head-" + address.getHostAddress().replace('.', '-'));
            // An instance name of its own: two heads both registering as the cluster name made one record of the
            // two in a node's cache, and the node never saw that a second head claimed its cluster.
            mdns.registerService(ServiceInfo.create(HeadDiscovery.SERVICE_TYPE, head.cluster() + " ("
                    + NodeIdentity.hostname() + ":" + port + ")", port, 0, 0, head.txt()));
            LOG.info("announced {} over mDNS on {}: cluster '{}', broker {}", HeadDiscovery.SERVICE_TYPE,
                    address.getHostAddress(), head.cluster(), head.brokerUrl());
        } catch (IOException | RuntimeException e) {
            LOG.warn("mDNS announcement on {} failed ({}); nodes must be given --server {}",
                    address.getHostAddress(), e, head == null ? "tcp://HEAD:" + port : head.brokerUrl());
            withdraw();
            plan.retry();
        }
    }

    private void withdraw() {
        if (mdns != null) {
            try {
                mdns.unregisterAllServices();
                mdns.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("mDNS close: {}", e.toString());
            }
            mdns = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        // On the worker, after any announcement under way, so that close never races a half-made JmDNS.
        worker.execute(this::withdraw);
        worker.shutdown();
        // The goodbye goes out at once; JmDNS then lingers ~4 s, which no one needs to wait for (a node that
        // still finds the stale record fails to connect and says so).
        if (!worker.awaitTermination(1, TimeUnit.SECONDS)) {
            LOG.debug("mDNS still closing; not waiting for it");
        }
    }
}
