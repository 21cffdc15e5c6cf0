package dev.cadre.broker;

import java.lang.reflect.Field;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.postoffice.BindingType;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.server.ActivateCallback;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.impl.QueueImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns auto-delete off, at the broker's start, for the auto-created queues in its journal whose address settings
 * now say no auto-delete: a node's queues (cadre.node.#, cadre.exec.#) made by a broker from before
 * {@link BrokerAddresses} kept them. Artemis stores each queue's own auto-delete, taken from the settings when it was
 * made, and goes by that alone: the start's first scan, right after the listeners open, removed such a queue when
 * empty (ARTEMIS-3525), so a client's send to the exec queue of a node not back yet was refused (AMQ229032), and one
 * holding messages went once drained and left. This runs once the journal is loaded and before any listener opens,
 * so no one sends or consumes meanwhile.
 */
final class AutoDeleteUpgrade implements ActivateCallback {
    private static final Logger LOG = LoggerFactory.getLogger(AutoDeleteUpgrade.class);
    private final ActiveMQServer server;

    AutoDeleteUpgrade(ActiveMQServer server) {
        this.server = server;
    }

    @Override
    public void activated() {
        List<QueueBinding> stale = server.getPostOffice().getAllBindings()
                .filter(b -> b.getType() == BindingType.LOCAL_QUEUE && b instanceof QueueBinding)
                .map(QueueBinding.class::cast).filter(this::autoDeletesAgainstItsSettings).toList();
        int changed = 0;
        for (QueueBinding binding : stale) {
            changed += turnOff(binding) ? 1 : 0;
        }
        if (changed > 0) {
            LOG.info("turned auto-delete off for {} queue(s) made before their addresses' settings did", changed);
        }
    }

    private boolean autoDeletesAgainstItsSettings(QueueBinding binding) {
        Queue queue = binding.getQueue();
        return queue.isAutoCreated() && queue.isAutoDelete() && !server.getAddressSettingsRepository()
                .getMatch(queue.getAddress().toString()).isAutoDeleteQueues();
    }

    /**
     * Artemis offers no way to change it in place: Queue has no setter and updateQueue leaves auto-delete out. So the
     * queue's own configuration (a copy of which is what the journal stores) changes, and its binding is stored
     * again as updateQueue stores it; the queue, its id and its messages stay as they are. Removing and making it
     * again would lose the messages of a queue that holds some.
     */
    private boolean turnOff(QueueBinding binding) {
        Queue queue = binding.getQueue();
        try {
            Field f = QueueImpl.class.getDeclaredField("queueConfiguration");
            f.setAccessible(true);
            ((QueueConfiguration) f.get(queue)).setAutoDelete(false);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot turn auto-delete off for queue {}, made by an older Cadre: this Artemis keeps a queue's"
                    + " configuration differently ({}); if empty it goes during this start, and its node makes it"
                    + " again when it connects", queue.getName(), e.toString());
            return false;
        }
        store(binding);
        return true;
    }

    /** A failure leaves it off until the broker stops, and the next start tries again. */
    private void store(Binding binding) {
        var storage = server.getStorageManager();
        long tx = storage.generateID();
        try {
            storage.updateQueueBinding(tx, binding);
            storage.commitBindings(tx);
        } catch (Exception e) {
            LOG.warn("could not store auto-delete off for queue {}: {}", binding.getUniqueName(), e.toString());
            try {
                storage.rollbackBindings(tx);
            } catch (Exception again) {
                LOG.debug("rollback of the binding update failed too", again);
            }
        }
    }
}
