package dev.cadre.broker;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.ActiveMQAddressFullException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQIllegalStateException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.LargeServerMessage;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.utils.CompositeAddress;

/**
 * Refuses, before the broker stores it, a message that must not get in: one larger than
 * {@link BrokerLimits#MAX_REQUEST_BYTES} on a request address (a receiver would read it whole before it could refuse
 * it; one such submission took the scheduler's heap), whatever the protocol and however it is streamed, and a
 * submitter's message while the disk is fuller than the client limit, so that submissions stop before Artemis stops
 * every producer. JMS and AMQP senders get the reason; a STOMP sender gets an ERROR frame that only names the
 * refused message (Artemis does not pass the reason on).
 */
final class SendLimits implements ActiveMQServerMessagePlugin {
    private final String submitterUser;
    private final SubmissionDiskLimit disk;

    SendLimits(String submitterUser, Path dataDir, int clientDiskPercent) {
        this.submitterUser = submitterUser;
        this.disk = new SubmissionDiskLimit(dataDir, clientDiskPercent);
    }

    /** Addresses whose messages a Cadre process decodes whole: requests, runner events, node and exec commands. */
    static boolean isRequestAddress(String address) {
        return address.equals(Destinations.SUBMIT) || address.equals(Destinations.RUNNER_EVENTS)
                || address.startsWith(Destinations.NODE_PREFIX) || address.startsWith(Destinations.EXEC_PREFIX);
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
            boolean noAutoCreateQueue) throws ActiveMQException {
        String address = message.getAddress() == null ? "" : CompositeAddress.extractAddressName(message.getAddress());
        if (isRequestAddress(address)) {
            long size = message.getWholeMessageSize();
            if (size > BrokerLimits.MAX_REQUEST_BYTES) {
                discard(message);
                throw new ActiveMQIllegalStateException("a message of " + size + " bytes is too large"
                        + " for " + address + "; the broker takes at most " + BrokerLimits.MAX_REQUEST_BYTES
                        + " bytes there (a body of at most " + MessageCodec.MAX_BYTES + ", Cadre protocol 4.1)");
            }
        }
        if (submitterUser.equals(session.getUsername())) {
            Optional<String> refusal = disk.refusal();
            if (refusal.isPresent()) {
                throw new ActiveMQAddressFullException(refusal.get());
            }
        }
    }

    /**
     * A message too large for a journal record is kept in a file of its own, even one that came whole (STOMP); when
     * such a message is refused here Artemis leaves its file behind for good, so it goes now.
     */
    private static void discard(Message message) {
        if (message instanceof LargeServerMessage large) {
            try {
                large.deleteFile();
            } catch (Exception e) {
                // Left for Artemis; the refusal stands either way.
            }
        }
    }
}
