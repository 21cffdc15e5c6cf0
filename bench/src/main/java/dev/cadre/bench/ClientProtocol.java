package dev.cadre.bench;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.Credentials;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.qpid.jms.JmsConnectionFactory;

/** How a benchmark client reaches the head's broker: over real TCP, as a separate client process would. */
enum ClientProtocol {
    /** Artemis core protocol through the same connection code as Cadre's own clients. */
    JMS("JMS (core)") {
        @Override
        Connection connect(InProcessHead head, Credentials submitter, String name) throws JMSException {
            // Without a confirmation window the core client calls a CompletionListener before the broker has
            // the message, and an async durable send would not mean durable.
            return BrokerConnections.open(head.coreUrl() + "?confirmationWindowSize=1048576", submitter, name);
        }
    },
    /** AMQP 1.0 through Apache Qpid JMS, an independent client implementation. */
    AMQP("AMQP 1.0 (Qpid JMS)") {
        @Override
        Connection connect(InProcessHead head, Credentials submitter, String name) throws JMSException {
            JmsConnectionFactory factory = new JmsConnectionFactory(submitter.user(), submitter.password(),
                    head.amqpUrl());
            factory.setClientIDPrefix(name + "-");
            Connection connection = factory.createConnection();
            connection.start();
            return connection;
        }
    };

    private final String label;

    ClientProtocol(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    abstract Connection connect(InProcessHead head, Credentials submitter, String name) throws JMSException;

    static ClientProtocol named(String name) {
        for (ClientProtocol p : values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + name + "': use jms or amqp");
    }
}
