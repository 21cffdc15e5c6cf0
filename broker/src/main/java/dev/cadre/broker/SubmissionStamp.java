package dev.cadre.broker;

import dev.cadre.protocol.Destinations;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.utils.CompositeAddress;

/**
 * Gives each message sent to {@code cadre.submit} an id of the broker's, stored with it in the journal, so that
 * the scheduler tells the redelivery of a submission after a crash from a new one even when the sender set no
 * message id (STOMP, and AMQP senders without a message-id). A random id rather than Artemis' own message
 * number: those start again with a new journal, and would then match jobs submitted before it. Always
 * overwritten, so no sender can choose it.
 */
public final class SubmissionStamp implements ActiveMQServerMessagePlugin {
    /** The message property that holds the id. */
    public static final String PROPERTY = "CadreIntakeId";
    private static final SimpleString SUBMIT = SimpleString.of(Destinations.SUBMIT);

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
            boolean noAutoCreateQueue) {
        // By its address alone: a sender naming the queue too (cadre.submit::cadre.submit) is stamped the same.
        SimpleString address = message.getAddressSimpleString();
        if (address != null && SUBMIT.equals(CompositeAddress.extractAddressName(address))) {
            message.putStringProperty(PROPERTY, UUID.randomUUID().toString());
            // The journal keeps an AMQP message as the bytes it came in; without this the stamp lived in memory only
            // and a redelivery after a restart had none. (AMQP messages large enough to be stored as large
            // messages never get here: the size check refuses them first.)
            message.reencode();
        }
    }
}
