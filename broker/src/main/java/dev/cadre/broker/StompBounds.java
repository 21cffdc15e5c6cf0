package dev.cadre.broker;

import dev.cadre.protocol.Destinations;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.protocol.stomp.StompConnection;
import org.apache.activemq.artemis.core.protocol.stomp.StompFrame;
import org.apache.activemq.artemis.core.protocol.stomp.StompFrameInterceptor;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

/**
 * Says over STOMP which bound refused a submitter. Artemis enforces them all, but its STOMP ERROR frame drops the
 * reason ({@code AMQ339009 Exception getting session}, {@code AMQ339016 Error creating subscription 1}), so a
 * CONNECT or SUBSCRIBE that a bound would refuse is answered here first, with Artemis' own words where it has them,
 * and the connection is closed as Artemis closes it after an ERROR.
 */
final class StompBounds implements StompFrameInterceptor {
    private final ActiveMQServer server;
    private final String submitter;
    private final BrokerLimits.SubmitterBounds bounds;
    private final DurableSubscriptionLimit durableLimit;

    StompBounds(ActiveMQServer server, String submitter, BrokerLimits.SubmitterBounds bounds,
            DurableSubscriptionLimit durableLimit) {
        this.server = server;
        this.submitter = submitter;
        this.bounds = bounds;
        this.durableLimit = durableLimit;
    }

    @Override
    public boolean intercept(StompFrame frame, RemotingConnection connection) throws ActiveMQException {
        if (!(connection instanceof StompConnection stomp)) {
            return true;
        }
        String refusal = switch (frame.getCommand()) {
            case "CONNECT", "STOMP" -> submitter.equals(frame.getHeader("login")) ? connectRefusal() : null;
            case "SUBSCRIBE" -> selectorRefusal(frame) != null ? selectorRefusal(frame)
                    : submitter.equals(stomp.getLogin()) ? subscribeRefusal(stomp, frame) : null;
            default -> null;
        };
        if (refusal == null) {
            return true;
        }
        StompFrame error = new StompFrame("ERROR");
        error.addHeader("message", refusal);
        stomp.sendFrame(error, null);
        stomp.destroy();
        return false;
    }

    private String connectRefusal() {
        long sessions = server.getSessions().stream().filter(s -> submitter.equals(s.getValidatedUser())).count();
        return sessions < bounds.sessions() ? null
                : "AMQ229110: Too many sessions for user '" + submitter + "'. Sessions allowed: " + bounds.sessions()
                        + ".";
    }

    private static String selectorRefusal(StompFrame frame) {
        String selector = frame.getHeader("selector");
        return selector == null ? null : SelectorLimit.refusalFor(selector.length());
    }

    private String subscribeRefusal(StompConnection stomp, StompFrame frame) throws ActiveMQException {
        String destination = frame.getHeader("destination") == null ? "" : frame.getHeader("destination");
        String address = destination.replaceFirst("^/(topic|queue)/", "");
        String name = frame.getHeader("durable-subscription-name") != null
                ? frame.getHeader("durable-subscription-name") : frame.getHeader("activemq.subscriptionName");
        if (name != null && address.startsWith(Destinations.REPLY_PREFIX)) {
            return "no durable subscriptions on " + Destinations.REPLY_PREFIX + "* (a reply is for the connection"
                    + " that waits for it): subscribe without durable-subscription-name";
        }
        if (name != null && address.equals(Destinations.EVENTS) && stomp.getClientID() != null) {
            // Artemis names a STOMP durable subscription's queue <client-id>.<name>.
            String refusal = durableLimit.refusalFor(SimpleString.of(stomp.getClientID() + "." + name));
            if (refusal != null) {
                return refusal;
            }
        }
        // A subscription to a queue that exists (/queue/NAME) makes no queue of its own.
        try {
            if (!destination.startsWith("/queue/")
                    && ((ActiveMQServerImpl) server).getQueueCountForUser(submitter) >= bounds.queues()) {
                return "AMQ229111: Too many queues created by user '" + submitter + "'. Queues allowed: "
                        + bounds.queues() + ".";
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }
}
