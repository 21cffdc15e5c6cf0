package dev.cadre.broker;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final long DISK_CHECK_NANOS = 1_000_000_000L;
    private final String submitterUser;
    private final Path dataDir;
    private final int clientDiskPercent;
    private long diskCheckedAt;
    private int diskPercent = -1;

    SendLimits(String submitterUser, Path dataDir, int clientDiskPercent) {
        this.submitterUser = submitterUser;
        this.dataDir = dataDir;
        this.clientDiskPercent = clientDiskPercent;
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
            int used = diskPercent();
            if (used > clientDiskPercent) {
                throw new ActiveMQAddressFullException("the broker's disk is " + used + "% full;"
                        + " submitters' messages are refused above " + clientDiskPercent + "% until space is freed");
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

    /** The broker's file system's use, read at most once a second: every submission passes here. */
    private synchronized int diskPercent() {
        long now = System.nanoTime();
        if (diskPercent < 0 || now - diskCheckedAt > DISK_CHECK_NANOS) {
            diskCheckedAt = now;
            try {
                FileStore store = Files.getFileStore(dataDir);
                long total = store.getTotalSpace();
                diskPercent = total <= 0 ? 0 : (int) (100 - store.getUsableSpace() * 100 / total);
            } catch (IOException e) {
                // Unknown is not full: Artemis' own check still guards the disk.
                diskPercent = 0;
            }
        }
        return diskPercent;
    }
}
