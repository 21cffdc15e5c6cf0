package dev.cadre.broker;

import dev.cadre.protocol.Destinations;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/** Cadre's own durable queues and events address, and the limits and expiry of every address. */
final class BrokerAddresses {
    private BrokerAddresses() {
    }

    static void apply(ConfigurationImpl config, BrokerLimits limits) {
        durableQueue(config, Destinations.SUBMIT);
        durableQueue(config, Destinations.RUNNER_EVENTS);
        durableQueue(config, Destinations.DEAD_LETTERS);
        config.addAddressConfiguration(new CoreAddressConfiguration().setName(Destinations.EVENTS)
                .addRoutingType(RoutingType.MULTICAST));
        addressSettings(config, limits);
    }

    /**
     * Most specific match wins, field by field. Every address a client can fill has a size past which it refuses
     * more (FAIL, so the sender hears of it), and unread replies and dead letters expire; Cadre's own queues page
     * to disk past the memory limit instead.
     */
    private static void addressSettings(ConfigurationImpl config, BrokerLimits limits) {
        SimpleString deadLetters = SimpleString.of(Destinations.DEAD_LETTERS);
        // An empty expiry address drops what expires there.
        SimpleString drop = SimpleString.of("");
        // Off outside cadre.*: a reply to a client whose temporary queue is gone must fail, not create a
        // durable queue that nobody will ever read.
        config.addAddressSetting("#", new AddressSettings().setDeadLetterAddress(deadLetters)
                .setExpiryAddress(deadLetters).setMaxDeliveryAttempts(10).setRedeliveryDelay(100)
                .setAutoCreateQueues(false).setAutoCreateAddresses(false)
                .setMaxSizeBytes(BrokerLimits.CLIENT_ADDRESS_BYTES)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL));
        config.addAddressSetting("cadre.#", new AddressSettings().setAutoCreateQueues(true).setAutoCreateAddresses(true)
                .setMaxSizeBytes(-1L).setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));
        config.addAddressSetting(BrokerRoles.TEMPORARY_NAMESPACE + ".#", new AddressSettings()
                .setMaxSizeBytes(BrokerLimits.TEMPORARY_QUEUE_BYTES)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL)
                .setExpiryDelay(BrokerLimits.REPLY_EXPIRY.toMillis()).setExpiryAddress(drop));
        // A STOMP reply address goes (within Artemis' 30 s scan) once its client's subscription has gone.
        config.addAddressSetting(Destinations.REPLY_PREFIX + "#", new AddressSettings()
                .setAutoDeleteAddresses(true).setAutoDeleteQueues(true)
                .setMaxSizeBytes(BrokerLimits.CLIENT_ADDRESS_BYTES)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL)
                .setExpiryDelay(BrokerLimits.REPLY_EXPIRY.toMillis()).setExpiryAddress(drop));
        // A node's queues are made by its own consumers, and Artemis removes an auto-created queue that is empty when
        // its last consumer has gone, at a restart of the head at once: a client (srun --pty) sending to the exec
        // queue of a node not yet back had the broker make the address again, which only nodes may (AMQ229032), and
        // what agents sent while no runner ran was lost. They live until the node is deleted (NodeQueues).
        for (String nodeAddresses : List.of(Destinations.NODE_PREFIX + "#", Destinations.EXEC_PREFIX + "#")) {
            config.addAddressSetting(nodeAddresses, new AddressSettings().setAutoDeleteQueues(false)
                    .setAutoDeleteAddresses(false));
        }
        // Only the subscriptions' queues live on the events address, none of Cadre's own. Each event, whatever time
        // to live it was sent with, is dropped once it has waited the retention: a live subscriber has long had it,
        // and a subscription abandoned for good then holds at most that much. Its own memory share makes it page
        // before it can take the memory every address shares.
        config.addAddressSetting(Destinations.EVENTS, new AddressSettings()
                .setMaxSizeBytes(limits.eventMemoryBytes())
                .setExpiryDelay(limits.eventRetention().toMillis())
                .setMaxExpiryDelay(limits.eventRetention().toMillis()).setExpiryAddress(drop));
        config.addAddressSetting(Destinations.DEAD_LETTERS, new AddressSettings()
                .setExpiryDelay(BrokerLimits.DEAD_LETTER_EXPIRY.toMillis()).setExpiryAddress(drop));
    }

    private static void durableQueue(ConfigurationImpl config, String name) {
        config.addAddressConfiguration(new CoreAddressConfiguration().setName(name)
                .addRoutingType(RoutingType.ANYCAST)
                .setQueueConfigs(List.of(QueueConfiguration.of(name).setAddress(name)
                        .setRoutingType(RoutingType.ANYCAST).setDurable(true))));
    }
}
