package dev.cadre.broker;

import dev.cadre.protocol.Destinations;
import java.util.List;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.postoffice.Bindings;
import org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerQueuePlugin;
import org.apache.activemq.artemis.core.settings.impl.ResourceLimitSettings;

/**
 * Refuses the submitter account a durable subscription on {@code cadre.events} past its bound
 * ({@link BrokerLimits.SubmitterBounds#durableEventSubscriptions()}). Each one outlives its owner and the head's
 * restarts and takes a copy of every event, and Artemis bounds only the queues a user holds in all (temporary ones
 * included), not the durable ones. Coming back to a subscription that exists creates nothing and is never refused.
 */
final class DurableSubscriptionLimit implements ActiveMQServerQueuePlugin {
    private static final SimpleString EVENTS = SimpleString.of(Destinations.EVENTS);
    private final SimpleString submitterUser;
    private final int most;
    private volatile ActiveMQServer server;

    /**
     * Sets the submitter account's bounds on the configuration and returns the plugin that keeps the durable one.
     * Cadre routes no wildcards, and with wildcard routing a subscription to cadre.reply.# would get every STOMP
     * client's replies; without it, that is the name of an address of its own. (Security and address-setting
     * matches keep their wildcards.)
     */
    static DurableSubscriptionLimit apply(ConfigurationImpl config, String submitter,
            BrokerLimits.SubmitterBounds bounds) {
        config.setWildcardRoutingEnabled(false);
        ResourceLimitSettings account = new ResourceLimitSettings();
        account.setMatch(SimpleString.of(submitter));
        account.setMaxSessions(bounds.sessions());
        account.setMaxQueues(bounds.queues());
        config.addResourceLimitSettings(account);
        DurableSubscriptionLimit limit = new DurableSubscriptionLimit(submitter, bounds.durableEventSubscriptions());
        config.registerBrokerPlugin(limit);
        return limit;
    }

    DurableSubscriptionLimit(String submitterUser, int most) {
        this.submitterUser = SimpleString.of(submitterUser);
        this.most = most;
    }

    @Override
    public void registered(ActiveMQServer server) {
        this.server = server;
    }

    @Override
    public void beforeCreateQueue(QueueConfiguration queue) throws ActiveMQException {
        // A queue whose durability is not given is durable.
        boolean durable = !Boolean.FALSE.equals(queue.isDurable()) && !Boolean.TRUE.equals(queue.isTemporary());
        if (durable && EVENTS.equals(queue.getAddress()) && submitterUser.equals(queue.getUser())) {
            String refusal = refusalFor(queue.getName());
            if (refusal != null) {
                throw new ActiveMQSecurityException(refusal);
            }
        }
    }

    /** Why the submitter may not make the durable subscription queue NAME on cadre.events now; null if it may. */
    String refusalFor(SimpleString name) throws ActiveMQException {
        if (server.locateQueue(name) != null) {
            return null;
        }
        int held = held();
        return held < most ? null : "the submitter account '" + submitterUser + "' already holds " + held
                + " durable subscriptions on " + Destinations.EVENTS + ", the most it may hold (" + most
                + "); delete one that is no longer used (unsubscribe) before making another";
    }

    private int held() throws ActiveMQException {
        Bindings bindings;
        try {
            bindings = server.getPostOffice().lookupBindingsForAddress(EVENTS);
        } catch (Exception e) {
            throw new ActiveMQSecurityException("cannot count the durable subscriptions on " + Destinations.EVENTS
                    + ": " + e);
        }
        int held = 0;
        for (Binding b : bindings == null ? List.<Binding>of() : bindings.getBindings()) {
            if (b instanceof LocalQueueBinding local && local.getQueue().isDurable()
                    && submitterUser.equals(local.getQueue().getUser())) {
                held++;
            }
        }
        return held;
    }
}
