package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A selector longer than {@link SelectorLimit#MAX_CHARS} is refused over CORE, AMQP and STOMP, with an error that
 * names the bound, and makes nothing (review 110, finding 3); one at the bound still works.
 */
class SelectorLimitTest {
    private static final String ONE_TOO_LONG = selectorOf(SelectorLimit.MAX_CHARS + 1);
    private static final String AT_THE_BOUND = selectorOf(SelectorLimit.MAX_CHARS);
    @TempDir
    Path dir;
    private BrokerUsers users;
    private EmbeddedBroker broker;

    @BeforeEach
    void start() throws Exception {
        users = BrokerUsers.generate();
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users,
                BrokerLimits.defaults())).start();
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
    }

    @Test
    void overCoreALongSelectorIsRefusedForSubscriptionsAndQueueConsumersAndOneAtTheBoundWorks() throws Exception {
        try (Connection jms = BrokerConnections.open("tcp://127.0.0.1:" + broker.corePort(), users.submitter(),
                "selector-test", "selector-client")) {
            Session s = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic events = s.createTopic(Destinations.EVENTS);
            assertNamesTheBound(assertThrows(InvalidSelectorException.class,
                    () -> s.createConsumer(events, ONE_TOO_LONG)));
            assertNamesTheBound(assertThrows(InvalidSelectorException.class,
                    () -> s.createDurableConsumer(events, "long", ONE_TOO_LONG, false)));
            var reply = s.createTemporaryQueue();
            assertNamesTheBound(assertThrows(InvalidSelectorException.class,
                    () -> s.createConsumer(reply, ONE_TOO_LONG)));
            // The refused durable subscription made no queue: there is none to unsubscribe from.
            assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("long"));
            s.createConsumer(events, AT_THE_BOUND).close();
            s.createDurableConsumer(events, "at-bound", AT_THE_BOUND, false).close();
            s.unsubscribe("at-bound");
        }
    }

    @Test
    void overAmqpALongSelectorIsRefused() throws Exception {
        var factory = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.amqpPort());
        try (Connection amqp = factory.createConnection(users.submitter().user(), users.submitter().password())) {
            amqp.start();
            Session s = amqp.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic events = s.createTopic(Destinations.EVENTS);
            JMSException refused = assertThrows(JMSException.class, () -> s.createConsumer(events, ONE_TOO_LONG));
            assertNamesTheBound(refused);
            s.createConsumer(events, AT_THE_BOUND).close();
        }
    }

    @Test
    void overStompALongSelectorIsRefusedWithAnErrorNamingTheBound() throws Exception {
        try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
            stomp.send("SUBSCRIBE\ndestination:/topic/" + Destinations.EVENTS + "\nid:1\nselector:" + ONE_TOO_LONG
                    + "\nreceipt:1\n\n");
            String error = stomp.read();
            assertTrue(error.startsWith("ERROR") && error.contains("more than the " + SelectorLimit.MAX_CHARS),
                    error.substring(0, Math.min(300, error.length())));
        }
        try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
            stomp.send("SUBSCRIBE\ndestination:/topic/" + Destinations.EVENTS + "\nid:1\nselector:" + AT_THE_BOUND
                    + "\nreceipt:1\n\n");
            String receipt = stomp.read();
            assertTrue(receipt.startsWith("RECEIPT"), receipt.substring(0, Math.min(300, receipt.length())));
        }
    }

    private static void assertNamesTheBound(Exception refused) {
        String text = String.valueOf(refused.getMessage()) + " " + refused.getCause();
        assertTrue(text.contains("more than the " + SelectorLimit.MAX_CHARS), text);
    }

    /** {@code user IN ('u1', 'u2', ...)} of exactly LENGTH characters: a selector a client might really send. */
    private static String selectorOf(int length) {
        String head = "user IN (";
        String users = IntStream.rangeClosed(1, length / 4).mapToObj(i -> "'u" + i + "'")
                .collect(Collectors.joining(","));
        String list = users.substring(0, users.lastIndexOf(',', length - head.length() - 1));
        // Spaces before the closing parenthesis make up the length; the selector still parses.
        return head + list + " ".repeat(length - head.length() - list.length() - 1) + ")";
    }
}
