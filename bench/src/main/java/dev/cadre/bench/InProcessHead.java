package dev.cadre.bench;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.Credentials;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.scheduler.SchedulerService;
import jakarta.jms.Connection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * The head's broker, SQLite stores and scheduler, wired as {@code cadre server} wires them (cli's Head), minus
 * the web server and any node-runner: nothing runs, so every accepted job stays PENDING.
 */
final class InProcessHead implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private final BrokerUsers users = BrokerUsers.generate();
    private EmbeddedBroker broker;
    private Connection schedulerConnection;
    private SchedulerService scheduler;
    private Jdbi jdbi;
    private JobStore jobs;
    private volatile Throwable fatal;

    static InProcessHead start(Path dataDir, int batchSize) throws Exception {
        InProcessHead head = new InProcessHead();
        try {
            head.startParts(dataDir, batchSize);
            return head;
        } catch (Exception | Error e) {
            head.close();
            throw e;
        }
    }

    private void startParts(Path dataDir, int batchSize) throws Exception {
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dataDir, HOST, 0, 0, 0,
                users)).start();
        jdbi = Database.open(dataDir.resolve("cadre.db"));
        jobs = new JobStore(jdbi);
        NodeStore nodes = new NodeStore(jdbi);
        schedulerConnection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "scheduler");
        scheduler = new SchedulerService(schedulerConnection, jobs, nodes, new ServiceStore(jdbi),
                new ReservationStore(jdbi), new PartitionStore(jdbi), Clock.systemUTC(),
                new SchedulerService.Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), batchSize,
                        Credentials.newSecret(), e -> fatal = e)).start();
    }

    /** Rows in the jobs table: what SQLite has committed. */
    long storedJobs() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM jobs").mapTo(Long.class).one());
    }

    /** Set when the scheduler could not persist a decision; a real head would have exited. */
    Throwable fatal() {
        return fatal;
    }

    Credentials submitter() {
        return users.submitter();
    }

    String coreUrl() {
        return "tcp://" + HOST + ":" + broker.corePort();
    }

    String amqpUrl() {
        return "amqp://" + HOST + ":" + broker.amqpPort();
    }

    /** Stops what was started, scheduler first, broker last; a part that never started is skipped. */
    @Override
    public void close() {
        stop(scheduler);
        stop(schedulerConnection);
        stop(jobs);
        stop(broker);
    }

    private static void stop(AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            System.err.println("bench: error while stopping the head: " + e);
        }
    }
}
