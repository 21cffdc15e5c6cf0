package dev.cadre.broker;

import dev.cadre.protocol.Destinations;
import java.util.Set;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.Role;

/**
 * What each broker role may do where: the table of protocol.md 2.3. The most specific match wins, and everything
 * not opened here is the head's alone (admin), Artemis' own activemq.* addresses included: their notifications
 * name every session's user, address and temporary queues.
 */
final class BrokerRoles {
    /**
     * Temporary queues (named by a random UUID, which JMS and AMQP clients get from the broker or make themselves)
     * are matched as TEMPORARY_NAMESPACE.&lt;name&gt;, so that they can have rights of their own without opening
     * every other address.
     */
    static final String TEMPORARY_NAMESPACE = "cadre-temporary";

    private BrokerRoles() {
    }

    static void apply(ConfigurationImpl config) {
        Role admin = new Role(BrokerUsers.ROLE_ADMIN, true, true, true, true, true, true, true, true, true, true,
                true, true);
        config.putSecurityRoles("#", Set.of(admin));
        config.putSecurityRoles("activemq.#", Set.of(admin));
        config.putSecurityRoles("cadre.#", Set.of(admin));
        config.putSecurityRoles(Destinations.SUBMIT, Set.of(admin,
                role(BrokerUsers.ROLE_SUBMITTER, Right.SEND)));
        // STOMP's SUBSCRIBE checks the create-address right even for an existing address, so submitters need
        // it here; deleting durable queues lets a subscriber end its own durable subscription. How many durable ones
        // the account holds is bounded (DurableSubscriptionLimit).
        config.putSecurityRoles(Destinations.EVENTS, Set.of(admin,
                subscriber(BrokerUsers.ROLE_SUBMITTER),
                role(BrokerUsers.ROLE_NODE, Right.CONSUME, Right.QUEUE)));
        // Reply addresses for clients without temporary queues (STOMP): the client subscribes to
        // cadre.reply.<its own id> first and names it as reply-to; only the scheduler (admin) sends there. A reply is
        // for the connection that waits for it, so no durable subscriptions: they would outlive their owner, and the
        // head's restarts, for ever.
        config.putSecurityRoles(Destinations.REPLY_PREFIX + "#", Set.of(admin,
                role(BrokerUsers.ROLE_SUBMITTER, Right.CONSUME, Right.QUEUE, Right.ADDRESS)));
        config.putSecurityRoles(Destinations.RUNNER_EVENTS, Set.of(admin,
                role(BrokerUsers.ROLE_NODE, Right.SEND)));
        config.putSecurityRoles(Destinations.NODE_PREFIX + "#", Set.of(admin,
                role(BrokerUsers.ROLE_NODE, Right.CONSUME, Right.DURABLE_QUEUE, Right.ADDRESS)));
        // Remote exec: the relays of jobs' agents send, and so do clients running a command in their own job (srun
        // --pty, salloc at a terminal: docs/protocol.md 5.10); only nodes consume. The job's token still gates every
        // run, and the head hands a job's token to that job's user alone (exec-grant).
        config.putSecurityRoles(Destinations.EXEC_PREFIX + "#", Set.of(admin,
                role(BrokerUsers.ROLE_NODE, Right.CONSUME, Right.DURABLE_QUEUE, Right.ADDRESS),
                role(BrokerUsers.ROLE_EXEC, Right.SEND),
                role(BrokerUsers.ROLE_SUBMITTER, Right.SEND)));
        // Everyone makes and reads its own reply queues; only those who answer requests send to them (the head, and
        // nodes answering exec and output requests), so no client can put words in another's replies.
        config.putSecurityRoles(TEMPORARY_NAMESPACE + ".#", Set.of(admin,
                role(BrokerUsers.ROLE_NODE, Right.SEND, Right.CONSUME, Right.QUEUE),
                role(BrokerUsers.ROLE_SUBMITTER, Right.CONSUME, Right.QUEUE),
                role(BrokerUsers.ROLE_EXEC, Right.CONSUME, Right.QUEUE)));
    }

    /** The rights Cadre hands out. QUEUE creates and deletes non-durable queues; DURABLE_QUEUE only creates. */
    enum Right {
        SEND, CONSUME, DURABLE_QUEUE, DELETE_DURABLE_QUEUE, QUEUE, ADDRESS
    }

    /** Subscribes, durably or not, and ends its own durable subscriptions. */
    private static Role subscriber(String name) {
        return role(name, Right.CONSUME, Right.DURABLE_QUEUE, Right.DELETE_DURABLE_QUEUE, Right.QUEUE, Right.ADDRESS);
    }

    private static Role role(String name, Right... granted) {
        Set<Right> r = Set.of(granted);
        boolean consume = r.contains(Right.CONSUME);
        // send, consume, create/delete durable queue, create/delete non-durable queue, manage, browse,
        // create/delete address, view, edit
        return new Role(name, r.contains(Right.SEND), consume, r.contains(Right.DURABLE_QUEUE),
                r.contains(Right.DELETE_DURABLE_QUEUE), r.contains(Right.QUEUE), r.contains(Right.QUEUE), false,
                consume, r.contains(Right.ADDRESS), false, false, false);
    }
}
