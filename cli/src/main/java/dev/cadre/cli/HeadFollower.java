package dev.cadre.cli;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.node.NodeRunner;
import dev.cadre.node.SessionClose;
import dev.cadre.node.core.HeadLoss;
import dev.cadre.node.core.HeadSightings;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node joined to the head its cluster announces over mDNS. The broker connection retries its address for
 * ever, which covers a head restarting in place; once the node has been cut off for the patience ({@link HeadLoss}
 * decides), it browses again and moves to a head announced at another address (the head was renumbered, or another
 * head took over the cluster): one that shows the certificate node.json pins ({@link HeadLink}), where it pins one.
 * A node given --server never moves: it has no follower.
 */
final class HeadFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeadFollower.class);
    /** How long the runner of a lost head may take to stop before the node gives up and exits. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    /** Browses mDNS for the heads of the node's cluster (at least one, or throws). */
    interface Browse {
        List<HeadSightings.Sighting> heads() throws Exception;
    }

    /** Starts the node-runner on a connection to the head at the URL. */
    interface Start {
        NodeRunner start(String url, Connection connection) throws Exception;
    }

    /** Opens the node's connection to a broker; the source says where its URL came from, for errors. */
    interface Connect {
        Connection open(String url, String source) throws JMSException;

        /** The URL the node's connections to the head announced at this URL are made with. */
        default String wireUrl(String url) {
            return url;
        }
    }

    /** A node-runner and the connection it runs on. */
    record Joined(String url, Connection connection, NodeRunner runner) {
        void close() throws Exception {
            SessionClose.stop(runner, connection);
        }
    }

    private final HeadLoss loss;
    private final Browse browse;
    private final Connect connect;
    private final Start start;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-head-follower");
        t.setDaemon(true);
        return t;
    });
    private volatile Joined joined;

    private HeadFollower(Duration patience, Browse browse, Connect connect, Start start) {
        this.loss = new HeadLoss(Clock.systemUTC(), patience);
        this.browse = browse;
        this.connect = connect;
        this.start = start;
    }

    /** Joins the first of the heads that accepts the node, then follows the cluster's head. */
    static HeadFollower join(Duration patience, Browse browse, Connect connect, Start start) throws Exception {
        HeadFollower f = new HeadFollower(patience, browse, connect, start);
        Connected first = firstAccepting(browse.heads(), connect, null);
        f.joined = f.startOn(first);
        f.checks.scheduleWithFixedDelay(f::check, 1, 1, TimeUnit.SECONDS);
        return f;
    }

    Joined joined() {
        return joined;
    }

    private record Connected(String url, Connection connection) {
    }

    /**
     * Connects to the first head that accepts the node's credentials, trying them in the order seen.
     *
     * @param skip a URL not to try (the lost head's), or null
     */
    private static Connected firstAccepting(List<HeadSightings.Sighting> heads, Connect connect, String skip)
            throws JMSException {
        List<String> failures = new ArrayList<>();
        JMSException last = null;
        for (HeadSightings.Sighting s : heads) {
            String url = s.head().brokerUrl();
            if (url.equals(skip)) {
                continue;
            }
            try {
                return new Connected(url, connect.open(url, "found over mDNS as " + HeadSightings.quoted(s.serviceName())));
            } catch (JMSException e) {
                last = e;
                failures.add(e.getMessage());
                if (heads.size() > 1) {
                    LOG.warn("not joining {}: {}", s, e.getMessage());
                }
            }
        }
        if (failures.size() == 1) {
            throw last;
        }
        throw new JMSException("none of the " + failures.size() + " heads found over mDNS accepted this node: "
                + String.join("; ", failures));
    }

    private Joined startOn(Connected c) throws Exception {
        try {
            Joined j = new Joined(c.url(), c.connection(), start.start(c.url(), c.connection()));
            BrokerConnections.watchLink(c.connection(), new BrokerConnections.LinkListener() {
                @Override
                public void lost() {
                    if (joined == j) {
                        LOG.warn("lost the head at {}; reconnecting, and looking for it over mDNS again if it stays"
                                + " away", j.url());
                        loss.lost();
                    }
                }

                @Override
                public void regained() {
                    if (joined == j) {
                        loss.regained();
                    }
                }
            });
            return j;
        } catch (Exception | Error e) {
            c.connection().close();
            throw e;
        }
    }

    private void check() {
        if (loss.decide() != HeadLoss.Action.BROWSE) {
            return;
        }
        Joined old = joined;
        try {
            LOG.warn("the head at {} has been unreachable for {} s: looking for the head of the cluster over mDNS",
                    old.url(), loss.cutOffFor().map(Duration::toSeconds).orElse(0L));
            List<HeadSightings.Sighting> heads = browse.heads();
            if (heads.stream().allMatch(h -> h.head().brokerUrl().equals(old.url()))) {
                LOG.warn("the cluster's head is still announced at {}; reconnecting there", old.url());
                loss.browsed();
                return;
            }
            Connected next = firstAccepting(heads, connect, old.url());
            stopBounded(old, connect.wireUrl(old.url()));
            try {
                joined = startOn(next);
            } catch (Exception | Error e) {
                System.err.println("cadre node: cannot start on the head at " + next.url() + ": " + e
                        + "; exiting, so that a restart tries again");
                System.exit(1);
            }
            loss.regained();
            System.out.println("Cadre node " + joined.runner().nodeId() + " joined " + next.url() + " (the head at "
                    + old.url() + " was lost; found over mDNS).");
            System.out.flush();
        } catch (Exception e) {
            LOG.warn("no other head to join: {}", e.getMessage());
            loss.browsed();
        }
    }

    /** Two runners must never share the state directory: one that will not stop ends the process. */
    private static void stopBounded(Joined old, String wireUrl) throws InterruptedException {
        Thread stopper = daemon("cadre-stop-lost-head", () -> {
            try {
                old.close();
            } catch (Exception e) {
                LOG.warn("stopping the runner of the lost head: {}", e.toString());
            }
        });
        stopper.join(2_000);
        if (stopper.isAlive()) {
            // Its session closes wait for a reconnection that will not come; the runner has stopped taking
            // commands by now, so its connections can be given up under it.
            daemon("cadre-abandon-lost-head", () -> BrokerConnections.abandon(wireUrl));
        }
        stopper.join(STOP_LIMIT.toMillis());
        if (stopper.isAlive()) {
            System.err.println("cadre node: the runner of the lost head at " + old.url() + " did not stop within "
                    + STOP_LIMIT.toSeconds() + " s; exiting, so that a restart joins the head now announced");
            System.exit(1);
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws Exception {
        checks.shutdownNow();
        checks.awaitTermination(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
        joined.close();
    }
}
