package dev.cadre.broker;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobEventListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the broker queues of nodes the head no longer knows. A node's command, output and exec queues
 * (cadre.node.ID, cadre.node.ID.output, cadre.exec.ID) are made when it first connects, and would otherwise stay in
 * the broker's journal for ever: one set for every node id that ever registered, which on a cluster whose machines
 * come and go grows without end. They go when the node is deleted, and at the head's start those of every node id
 * it does not know (a deletion the head did not live to carry out). A queue someone consumes is left alone: a
 * node-runner started again under a deleted id has taken it back.
 */
public final class NodeQueues implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeQueues.class);
    private final ActiveMQServer server;
    /** Event listeners must not block: the removals run here, one at a time. */
    private final ExecutorService removals = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cadre-node-queue-removal");
        t.setDaemon(true);
        return t;
    });

    NodeQueues(ActiveMQServer server) {
        this.server = server;
    }

    /** The queue names of a node. */
    static List<String> of(String nodeId) {
        return List.of(Destinations.nodeQueue(nodeId), Destinations.outputQueue(nodeId),
                Destinations.execQueue(nodeId));
    }

    /** Removes the node's queues that no one consumes; returns how many went. */
    public int remove(String nodeId) {
        return removeAll(of(nodeId));
    }

    /** Removes the queues of every node whose id is not among these, where no one consumes them. */
    public int removeAllBut(Collection<String> knownNodeIds) {
        Set<String> kept = new HashSet<>();
        knownNodeIds.forEach(id -> kept.addAll(of(id)));
        List<String> unknown = new ArrayList<>();
        server.getPostOffice().getAllBindings().forEach(b -> {
            String name = b.getUniqueName().toString();
            if (b instanceof QueueBinding && !kept.contains(name) && (name.startsWith(Destinations.NODE_PREFIX)
                    || name.startsWith(Destinations.EXEC_PREFIX))) {
                unknown.add(name);
            }
        });
        return removeAll(unknown);
    }

    /** Hears node-deleted events, as the head's scheduler publishes them, and removes those nodes' queues. */
    public JobEventListener deletions() {
        return (event, json) -> {
            if (event instanceof JobEvent.NodeDeleted d) {
                removals.execute(() -> remove(d.nodeId()));
            }
        };
    }

    private int removeAll(List<String> names) {
        int removed = 0;
        for (String name : names) {
            var queue = server.locateQueue(name);
            if (queue == null) {
                continue;
            }
            if (queue.getConsumerCount() > 0) {
                LOG.info("keeping queue {}: it has a consumer, a node-runner under that id is connected", name);
                continue;
            }
            try {
                // Consumers checked again under the server's lock; the address goes with its last queue.
                server.destroyQueue(SimpleString.of(name), null, true, false, true);
                removed++;
            } catch (Exception e) {
                LOG.warn("could not remove queue {} of a deleted node: {}", name, e.getMessage());
            }
        }
        if (removed > 0) {
            LOG.info("removed {} queue(s) of deleted nodes", removed);
        }
        return removed;
    }

    /** Waits up to a few seconds for removals under way; the broker stops after this. */
    @Override
    public void close() {
        removals.shutdown();
        try {
            removals.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
