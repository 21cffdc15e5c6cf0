package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Each row of the role table in protocol.md 2.3: what a role may do works, and what it may not is refused. */
class BrokerPermissionsTest {
    private static final long WAIT_MS = 10_000;
    @TempDir
    static Path dir;
    private static BrokerUsers users;
    private static EmbeddedBroker broker;
    private static Connection submitter;
    private static Connection node;
    private static Connection exec;
    private static Connection admin;
    private static ServerLocator locator;
    private static ClientSessionFactory coreFactory;

    @BeforeAll
    static void start() throws Exception {
        users = BrokerUsers.generate();
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users)).start();
        submitter = open(users.submitter());
        node = open(users.node());
        exec = open(users.exec());
        admin = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "perm-test");
        locator = ActiveMQClient.createServerLocator(url());
        coreFactory = locator.createSessionFactory();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Connection c : List.of(submitter, node, exec, admin)) {
            c.close();
        }
        coreFactory.close();
        locator.close();
        broker.close();
    }

    @Test
    void onlySubmittersAndTheHeadSendToTheSubmitQueueAndOnlyTheHeadReadsIt() throws Exception {
        send(submitter, queue(Destinations.SUBMIT));
        refused(() -> send(node, queue(Destinations.SUBMIT)));
        refused(() -> send(exec, queue(Destinations.SUBMIT)));
        refused(() -> consume(submitter, queue(Destinations.SUBMIT)));
    }

    @Test
    void submittersAndNodesSubscribeToEventsAndNobodyButTheHeadPublishes() throws Exception {
        try (Connection durable = BrokerConnections.open(url(), users.submitter(), "perm-test", "perm-durable")) {
            consume(submitter, topic(Destinations.EVENTS)).close();
            consume(node, topic(Destinations.EVENTS)).close();
            Session s = durable.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic(Destinations.EVENTS), "mine").close();
            s.unsubscribe("mine");
            refused(() -> consume(exec, topic(Destinations.EVENTS)));
            refused(() -> send(submitter, topic(Destinations.EVENTS)));
            refused(() -> send(node, topic(Destinations.EVENTS)));
        }
    }

    @Test
    void onlyNodesSendRunnerEvents() throws Exception {
        send(node, queue(Destinations.RUNNER_EVENTS));
        refused(() -> send(submitter, queue(Destinations.RUNNER_EVENTS)));
        refused(() -> send(exec, queue(Destinations.RUNNER_EVENTS)));
        refused(() -> consume(node, queue(Destinations.RUNNER_EVENTS)));
    }

    @Test
    void nodeQueuesAreReadByNodesAndWrittenByTheHeadAlone() throws Exception {
        String nodeQueue = Destinations.nodeQueue("perm-node");
        consume(node, queue(nodeQueue)).close();
        consume(node, queue(Destinations.outputQueue("perm-node"))).close();
        refused(() -> send(submitter, queue(nodeQueue)));
        refused(() -> send(node, queue(nodeQueue)));
        refused(() -> send(exec, queue(nodeQueue)));
        refused(() -> consume(submitter, queue(nodeQueue)));
    }

    @Test
    void execQueuesTakeRequestsFromRelaysAndClientsAndAreReadByNodesAlone() throws Exception {
        String execQueue = Destinations.execQueue("perm-node");
        MessageConsumer relay = consume(node, queue(execQueue));
        send(exec, queue(execQueue));
        assertNotNull(relay.receive(WAIT_MS), "the node gets the relay's exec request");
        // srun --pty and salloc at a terminal send their own, with the token exec-grant gave their user.
        send(submitter, queue(execQueue));
        assertNotNull(relay.receive(WAIT_MS), "the node gets the client's exec request");
        refused(() -> send(node, queue(execQueue)));
        refused(() -> consume(exec, queue(execQueue)));
        refused(() -> consume(submitter, queue(execQueue)));
    }

    @Test
    void deadLettersAreTheHeadsAlone() throws Exception {
        for (Connection c : List.of(submitter, node, exec)) {
            refused(() -> consume(c, queue(Destinations.DEAD_LETTERS)));
            refused(() -> send(c, queue(Destinations.DEAD_LETTERS)));
        }
    }

    @Test
    void aStompStyleReplyAddressIsReadByItsSubmitterAndWrittenByTheHead() throws Exception {
        String reply = Destinations.REPLY_PREFIX + "perm-client";
        MessageConsumer replies = consume(submitter, topic(reply));
        send(admin, topic(reply));
        assertNotNull(replies.receive(WAIT_MS), "the head's reply arrives");
        refused(() -> send(submitter, topic(reply)));
    }

    @Test
    void aStompSubmitterReadsAnAnycastReplyQueueTheHeadMadeUnderTheReplyPrefixButNoneOutsideIt() throws Exception {
        String reply = Destinations.REPLY_PREFIX + "stomp-replies";
        try (ClientSession s = coreSession(users.admin())) {
            for (String name : List.of(reply, "stomp-replies")) {
                s.createAddress(SimpleString.of(name), RoutingType.ANYCAST, false);
                s.createQueue(QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            }
        }
        try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
            stomp.send("SUBSCRIBE\ndestination:/queue/" + reply + "\nid:1\nack:auto\nreceipt:subscribed\n\n");
            String receipt = stomp.read();
            assertTrue(receipt.startsWith("RECEIPT"), receipt);
            send(admin, queue(reply));
            String message = stomp.read();
            assertTrue(message.startsWith("MESSAGE") && message.endsWith("{}"), message);
        }
        try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
            stomp.send("SUBSCRIBE\ndestination:/queue/stomp-replies\nid:1\nack:auto\nreceipt:subscribed\n\n");
            String refusal = stomp.read();
            assertTrue(refusal.startsWith("ERROR"), refusal);
        }
    }

    @Test
    void aStompSendToTheBareSubmitNameIsRefusedWithTheErrorProtocolMdQuotes() throws Exception {
        String spec = Files.readString(Path.of("..", "docs", "protocol.md"));
        String section = spec.substring(spec.indexOf("### 11.3."), spec.indexOf("## 12."));
        Matcher quoted = Pattern.compile("A bare `cadre.submit`[^`]*?`?(AMQ\\d+)").matcher(section);
        assertTrue(quoted.find(), "11.3 quotes the error a bare cadre.submit gets");
        try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
            stomp.send("SEND\ndestination:" + Destinations.SUBMIT + "\npersistent:true\nreceipt:1\n\n{}");
            String refusal = stomp.read();
            assertTrue(refusal.startsWith("ERROR") && refusal.contains(quoted.group(1)), refusal);
            assertThrows(IOException.class, stomp::read, "the connection is closed, as 11.3 says");
        }
    }

    @Test
    void artemisOwnAddressesAreClosedToEveryoneButTheHead() throws Exception {
        for (Connection c : List.of(submitter, node, exec)) {
            refused(() -> consume(c, topic("activemq.notifications")));
            refused(() -> send(c, queue("activemq.management")));
        }
    }

    @Test
    void noOneButTheHeadCreatesOrUsesOtherAddresses() throws Exception {
        try (ClientSession s = coreSession(users.admin())) {
            s.createAddress(SimpleString.of("theirs"), RoutingType.ANYCAST, false);
            s.createQueue(QueueConfiguration.of("theirs").setRoutingType(RoutingType.ANYCAST).setDurable(false));
        }
        for (Credentials who : List.of(users.submitter(), users.node(), users.exec())) {
            try (ClientSession s = coreSession(who)) {
                assertThrows(ActiveMQSecurityException.class,
                        () -> s.createAddress(SimpleString.of("hoard"), RoutingType.ANYCAST, false), who.user());
                assertThrows(ActiveMQSecurityException.class, () -> s.createQueue(QueueConfiguration.of("hoard")
                        .setRoutingType(RoutingType.ANYCAST).setDurable(false)), who.user());
            }
            try (Connection c = open(who)) {
                refused(() -> send(c, queue("theirs")));
                refused(() -> consume(c, queue("theirs")));
            }
        }
    }

    @Test
    void everyoneMakesAndReadsTemporaryQueuesButOnlyTheHeadAndNodesAnswerOnThem() throws Exception {
        for (Connection owner : List.of(submitter, node, exec)) {
            Session s = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue mine = s.createTemporaryQueue();
            MessageConsumer replies = s.createConsumer(mine);
            Destination byName = queue(mine.getQueueName());
            send(admin, byName);
            send(node, byName);
            assertNotNull(replies.receive(WAIT_MS), "the head's answer");
            assertNotNull(replies.receive(WAIT_MS), "a node's answer");
            // Another client that learns the name cannot forge an answer (an exec-exit into a node's relay).
            refused(() -> send(submitter, byName));
            refused(() -> send(exec, byName));
            s.close();
        }
    }

    @Test
    void anAmqpSubmittersTemporaryQueueTakesTheHeadsRepliesAndNoOneElses() throws Exception {
        var factory = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.amqpPort());
        try (Connection amqp = factory.createConnection(users.submitter().user(), users.submitter().password())) {
            amqp.start();
            Session s = amqp.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue mine = s.createTemporaryQueue();
            MessageConsumer replies = s.createConsumer(mine);
            send(admin, queue(mine.getQueueName()));
            TextMessage reply = (TextMessage) replies.receive(WAIT_MS);
            assertNotNull(reply, "the head's answer");
            assertEquals("{}", reply.getText());
            refused(() -> send(submitter, queue(mine.getQueueName())));
        }
    }

    /** A core API session, for what JMS cannot ask (creating addresses and queues by name). */
    private static ClientSession coreSession(Credentials who) throws Exception {
        return coreFactory.createSession(who.user(), who.password(), false, true, true, false, 0);
    }

    private static void refused(Executable operation) {
        assertThrows(JMSSecurityException.class, operation);
    }

    private record Named(String name, boolean topic) implements Destination {
    }

    private static Destination queue(String name) {
        return new Named(name, false);
    }

    private static Destination topic(String name) {
        return new Named(name, true);
    }

    private static jakarta.jms.Destination resolve(Session s, Destination d) throws JMSException {
        Named n = (Named) d;
        return n.topic() ? s.createTopic(n.name()) : s.createQueue(n.name());
    }

    private static void send(Connection c, Destination to) throws JMSException {
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(resolve(s, to));
            // Persistent sends wait for the broker's answer, so a refusal comes back here.
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage("{}"));
        }
    }

    private static MessageConsumer consume(Connection c, Destination from) throws JMSException {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        return s.createConsumer(resolve(s, from));
    }

    private static String url() {
        return "tcp://127.0.0.1:" + broker.corePort();
    }

    private static Connection open(Credentials who) throws JMSException {
        return BrokerConnections.open(url(), who, "perm-test");
    }

}
