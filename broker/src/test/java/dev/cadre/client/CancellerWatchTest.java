package dev.cadre.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerLimits;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.ClientFile;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch by canceller against the embedded broker: only the events of the cancels the user asked for arrive, over the
 * Java client (CORE) and over AMQP 1.0 with the filter's selector; a canceller's name written to widen the selector
 * selects only events carrying that very name. Events are published as the scheduler publishes them (a JSON body and
 * the properties of docs/protocol.md 3.2), in one order, which each subscriber receives them in: once a subscriber has
 * the last event meant for it, every event published before that one has been judged.
 */
class CancellerWatchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Written into a selector as it is, it would pass every event that names a canceller. */
    private static final String HOSTILE = "x' OR cancelledBy IS NOT NULL OR 'a'='b";
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
    void onlyTheEventsOfTheCancelsTheUserAskedForArriveOverTheClientAndAmqp() throws Exception {
        ClientFile file = new ClientFile("tcp://127.0.0.1:" + broker.corePort(), null, null, null,
                users.submitter().user(), users.submitter().password(), null);
        List<JobEvent.JobStateChanged> byAlice = new CopyOnWriteArrayList<>();
        List<JobEvent.JobStateChanged> byHostile = new CopyOnWriteArrayList<>();
        CountDownLatch aliceHeard = new CountDownLatch(3);
        CountDownLatch hostileHeard = new CountDownLatch(1);
        var amqpFactory = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.amqpPort());
        try (CadreClient client = CadreClient.connect(file, ClientSettings.defaults().withUser("bob"));
                Watch alice = client.watch(EventFilter.cancelledBy("alice"), e -> {
                    byAlice.add(e);
                    aliceHeard.countDown();
                });
                Watch hostile = client.watch(EventFilter.cancelledBy(HOSTILE), e -> {
                    byHostile.add(e);
                    hostileHeard.countDown();
                });
                Connection amqp = amqpFactory.createConnection(users.submitter().user(),
                        users.submitter().password())) {
            amqp.start();
            Session s = amqp.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer amqpAlice = s.createConsumer(s.createTopic(Destinations.EVENTS),
                    EventFilter.cancelledBy("alice").selector());
            MessageConsumer amqpHostile = s.createConsumer(s.createTopic(Destinations.EVENTS),
                    EventFilter.cancelledBy(HOSTILE).selector());

            publish(event(1, JobState.RUNNING, JobState.COMPLETING, "alice"), null);
            publish(event(1, JobState.COMPLETING, JobState.CANCELLED, "alice"), null);
            publish(event(2, JobState.PENDING, JobState.CANCELLED, "bob"), null);
            publish(event(3, JobState.RUNNING, JobState.COMPLETED, null), null);
            publish(event(4, JobState.PENDING, JobState.CANCELLED, null), null);
            // The very name as the property (no event body may carry it): what the hostile filter is for.
            publish(event(7, JobState.PENDING, JobState.CANCELLED, null), HOSTILE);
            publish(event(6, JobState.PENDING, JobState.CANCELLED, "alice"), null);

            assertTrue(aliceHeard.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "alice's heard: " + byAlice);
            assertTrue(hostileHeard.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the name's heard: " + byHostile);
            assertEquals(List.of(1L, 1L, 6L), byAlice.stream().map(JobEvent.JobStateChanged::jobId).toList(),
                    byAlice.toString());
            assertEquals(List.of("alice", "alice", "alice"),
                    byAlice.stream().map(JobEvent.JobStateChanged::cancelledBy).toList());
            assertEquals(List.of(7L), byHostile.stream().map(JobEvent.JobStateChanged::jobId).toList(),
                    "the name is one literal, not terms of its own: " + byHostile);

            assertEquals(List.of("1 COMPLETING alice", "1 CANCELLED alice", "6 CANCELLED alice"),
                    receive(amqpAlice, 3), "an AMQP 1.0 subscriber selects on cancelledBy alike");
            assertEquals(List.of("7 CANCELLED " + HOSTILE), receive(amqpHostile, 1));
        }
    }

    private static JobEvent.JobStateChanged event(long jobId, JobState from, JobState to, String cancelledBy) {
        return new JobEvent.JobStateChanged(jobId, from, to, to == JobState.COMPLETING ? "CANCELLED" : null,
                Instant.parse("2026-11-24T10:00:00Z"), 1, "bob", "j", null, null, null, null, cancelledBy);
    }

    /** As the scheduler's EventProperties sets them; {@code property} overrides the body's canceller when given. */
    private void publish(JobEvent.JobStateChanged e, String property) throws Exception {
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "canceller-test")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createTopic(Destinations.EVENTS));
            TextMessage m = s.createTextMessage(MessageCodec.encode(e));
            m.setStringProperty("type", MessageCodec.typeName(e));
            m.setLongProperty("jobId", e.jobId());
            m.setStringProperty("user", e.user());
            m.setStringProperty("state", e.state().name());
            String canceller = property != null ? property : e.cancelledBy();
            if (canceller != null) {
                m.setStringProperty("cancelledBy", canceller);
            }
            producer.send(m);
        }
    }

    private static List<String> receive(MessageConsumer consumer, int count) throws Exception {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = consumer.receive(WAIT.toMillis());
            assertNotNull(m, "message " + (i + 1) + " of " + count + " arrived; so far " + got);
            got.add(m.getLongProperty("jobId") + " " + m.getStringProperty("state") + " "
                    + m.getStringProperty("cancelledBy"));
        }
        return got;
    }
}
