package dev.cadre.scheduler;

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
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * A scheduler as the head wires it, not yet started: a real embedded broker and a real SQLite file in dir, a
 * 30-second node timeout. Closing it stops the scheduler, then the broker.
 */
record SchedulerOnBroker(BrokerUsers users, EmbeddedBroker broker, Connection connection, JobStore jobs,
        SchedulerService scheduler) implements AutoCloseable {

    /**
     * @param tick how often the scheduler's loop looks at the time, once started
     * @param onFatal what the head would do on a fatal error (exit)
     */
    static SchedulerOnBroker create(Path dir, Duration tick, Consumer<Throwable> onFatal) throws Exception {
        return create(dir, tick, Duration.ofSeconds(30), onFatal);
    }

    /** @param nodeTimeout how long a node stays UP without a heartbeat */
    static SchedulerOnBroker create(Path dir, Duration tick, Duration nodeTimeout, Consumer<Throwable> onFatal)
            throws Exception {
        return create(dir, tick, nodeTimeout, Clock.systemUTC(), onFatal);
    }

    /** @param clock the head's clock */
    static SchedulerOnBroker create(Path dir, Duration tick, Duration nodeTimeout, Clock clock,
            Consumer<Throwable> onFatal) throws Exception {
        return create(dir, tick, nodeTimeout, clock, onFatal, jdbi -> { });
    }

    /** @param jobTables what to set on the job store's Jdbi before the scheduler uses it (a test's listener) */
    static SchedulerOnBroker create(Path dir, Duration tick, Duration nodeTimeout, Clock clock,
            Consumer<Throwable> onFatal, Consumer<Jdbi> jobTables) throws Exception {
        return create(dir, new SchedulerService.Settings(nodeTimeout, tick, 500, "secret", onFatal), clock, jobTables);
    }

    /** @param settings the scheduler's, its scheduling settings among them */
    static SchedulerOnBroker create(Path dir, SchedulerService.Settings settings, Clock clock,
            Consumer<Jdbi> jobTables) throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users))
                .start();
        Path db = dir.resolve("cadre.db");
        Jdbi jobsJdbi = Database.open(db);
        jobTables.accept(jobsJdbi);
        JobStore jobs = new JobStore(jobsJdbi);
        Connection connection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "scheduler");
        SchedulerService scheduler = new SchedulerService(connection, jobs, new NodeStore(Database.open(db)),
                new ServiceStore(Database.open(db)), new ReservationStore(Database.open(db)),
                new PartitionStore(Database.open(db)), clock, settings);
        return new SchedulerOnBroker(users, broker, connection, jobs, scheduler);
    }

    /** Place-jobs for the named jobs, by name, as the node receives them. */
    static Map<String, NodeCommand.PlaceJob> placed(MessageConsumer commands, int count) throws Exception {
        Map<String, NodeCommand.PlaceJob> out = new HashMap<>();
        while (out.size() < count) {
            TextMessage m = (TextMessage) commands.receive(10_000);
            if (m == null) {
                throw new AssertionError("only " + out.keySet() + " placed within 10 s");
            }
            Message decoded = MessageCodec.decode(m.getText());
            List<NodeCommand.PlaceJob> some = decoded instanceof NodeCommand.PlaceJobs many ? many.placements()
                    : decoded instanceof NodeCommand.PlaceJob one ? List.of(one) : List.of();
            some.forEach(p -> out.put(p.spec().name(), p));
        }
        return out;
    }

    /** A node a test plays over its own connection: the commands sent to it, and its runner events, each committed. */
    record PlayedNode(Session session, MessageConsumer commands, MessageProducer runner) {
        void send(RunnerEvent event) throws Exception {
            runner.send(session.createTextMessage(MessageCodec.encode(event)));
            session.commit();
        }
    }

    /** Starts the connection and the scheduler, with node {@code nodeId}'s queue read over the connection. */
    PlayedNode startWithNode(Connection c, String nodeId) throws Exception {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer commands = s.createConsumer(s.createQueue(Destinations.nodeQueue(nodeId)));
        c.start();
        scheduler.start();
        Session node = c.createSession(true, Session.SESSION_TRANSACTED);
        return new PlayedNode(node, commands, node.createProducer(node.createQueue(Destinations.RUNNER_EVENTS)));
    }

    @Override
    public void close() throws Exception {
        scheduler.close();
        connection.close();
        broker.close();
    }
}
