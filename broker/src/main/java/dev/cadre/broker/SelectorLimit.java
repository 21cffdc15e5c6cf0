package dev.cadre.broker;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQInvalidFilterExpressionException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerConsumerPlugin;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerQueuePlugin;

/**
 * Refuses a selector (a subscription queue's or a consumer's filter) longer than {@link #MAX_CHARS}, over every
 * protocol. Otherwise only the frame size bounds it, and Artemis keeps each one's text and parsed tree for the
 * subscription's life (about 17 MB and seconds of parsing for a 4 MB selector; review 110, finding 3), so a
 * handful of subscriptions could take the head's heap. Cadre's own selectors are tens of characters; the bound
 * leaves room for a long {@code jobId IN (...)} list. It holds for every account: the consumer hook does not say
 * whose consumer it is, and no account of Cadre's needs more.
 */
final class SelectorLimit implements ActiveMQServerQueuePlugin, ActiveMQServerConsumerPlugin {
    /** The most characters a selector may have. */
    static final int MAX_CHARS = 16_384;

    static void apply(ConfigurationImpl config) {
        config.registerBrokerPlugin(new SelectorLimit());
    }

    /** Why a selector of this many characters cannot be used, or null when it can. */
    static String refusalFor(int length) {
        return length <= MAX_CHARS ? null : "the selector has " + length + " characters, more than the " + MAX_CHARS
                + " a selector may have; select fewer jobs per subscription, or use more subscriptions";
    }

    @Override
    public void beforeCreateQueue(QueueConfiguration queue) throws ActiveMQException {
        refuseLong(queue.getFilterString());
    }

    @Override
    public void beforeCreateConsumer(long consumerId, QueueBinding queue, SimpleString filter, boolean browseOnly,
            boolean supportLargeMessage) throws ActiveMQException {
        refuseLong(filter);
    }

    private static void refuseLong(SimpleString filter) throws ActiveMQException {
        String refusal = filter == null ? null : refusalFor(filter.length());
        if (refusal != null) {
            throw new ActiveMQInvalidFilterExpressionException(refusal);
        }
    }
}
