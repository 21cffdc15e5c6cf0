package dev.cadre.scheduler;

import static dev.cadre.scheduler.SubmissionIntakeIntegrationTest.send;
import static dev.cadre.scheduler.SubmissionIntakeIntegrationTest.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose jobs cannot be stored (here a real SQLite trigger refuses every insert) is rolled back: what
 * the intake had gathered for it must not go out twice, and its other messages are still handled.
 */
class FailedSubmissionBatchIntegrationTest {
    @TempDir
    Path dir;
    EmbeddedBroker broker;
    BrokerUsers users = BrokerUsers.generate();

    @BeforeEach
    void startBroker() throws Exception {
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users)).start();
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void aSubmissionThatCannotBeStoredIsDeadLetteredAndItsBatchCompanionsAreAnsweredOnce() throws Exception {
        Jdbi db = Database.open(dir.resolve("cadre.db"));
        sql("CREATE TRIGGER refuse_jobs BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "client");
                Connection schedulerConnection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(),
                        "scheduler")) {
            c.start();
            // One transaction, so both wait on the queue together and the intake takes them as one batch.
            Session sending = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue replies = sending.createTemporaryQueue();
            send(sending, replies, "{\"type\":\"launch-missiles\"}", "c-bad");
            send(sending, replies, submit("refused-by-disk"), "c-good");
            sending.commit();
            SchedulerService scheduler = new SchedulerService(schedulerConnection, new JobStore(db),
                    new NodeStore(db), new ServiceStore(db), new ReservationStore(db),
                    new PartitionStore(db), Clock.systemUTC(),
                    new SchedulerService.Settings(
                            Duration.ofSeconds(30), Duration.ofSeconds(1), 500, "secret", e -> { })).start();
            try {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer dead = s.createConsumer(s.createQueue(Destinations.DEAD_LETTERS),
                        "JMSCorrelationID = 'c-good'");
                assertNotNull(dead.receive(60_000), "the submission that could not be stored was not dead-lettered");

                sql("DROP TRIGGER refuse_jobs");
                send(sending, replies, submit("after-the-trouble"), "c-after");
                sending.commit();
                Map<String, Integer> answered = answers(s.createConsumer(replies), "c-after");
                assertEquals(1, answered.getOrDefault("c-after", 0), "answers: " + answered);
                assertEquals(0, answered.getOrDefault("c-good", 0), "answers: " + answered);
                // Its rejection was gathered with the failing batch; handled again alone, it is answered once.
                assertEquals(1, answered.getOrDefault("c-bad", 0), "answers: " + answered);
            } finally {
                scheduler.close();
            }
        }
    }

    /** Counts the replies by correlation id until the awaited one has come and nothing more does. */
    private static Map<String, Integer> answers(MessageConsumer consumer, String awaited) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!counts.containsKey(awaited) && System.nanoTime() < deadline) {
            Message m = consumer.receive(1_000);
            if (m != null) {
                counts.merge(m.getJMSCorrelationID(), 1, Integer::sum);
            }
        }
        // Stale answers would have gone out in the same flush as the awaited one, so before it.
        for (Message m = consumer.receive(500); m != null; m = consumer.receive(500)) {
            counts.merge(m.getJMSCorrelationID(), 1, Integer::sum);
        }
        return counts;
    }

    private void sql(String statement) throws Exception {
        try (var sql = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cadre.db"));
                var st = sql.createStatement()) {
            st.execute(statement);
        }
    }
}
