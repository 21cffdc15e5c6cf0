package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleListener;
import org.jdbi.v3.core.Handles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

/**
 * The CPU ids and GPU indexes nodes send as JSON on the bus (the coordinator's runner-running, the other node's
 * heartbeat) reach the attempt's record in SQLite, node by node in the allocation's order; a runner-running without
 * them, a node-runner's from before, leaves the attempt with none; a start's CPU ids are stored in the one
 * transaction of the batch that confirms the start. Against a real embedded broker and SQLite file, the test
 * playing the nodes.
 */
class AttemptCpusIntegrationTest {
    private static <T extends Message> T receive(MessageConsumer from, Class<T> type) throws Exception {
        TextMessage m = (TextMessage) from.receive(10_000);
        assertNotNull(m, "no " + type.getSimpleName() + " within 10 s");
        return assertInstanceOf(type, MessageCodec.decode(m.getText()));
    }

    private static String heartbeat(String node, String host, String running, String cpus) {
        return "{\"version\": 1, \"type\": \"node-heartbeat\", \"nodeId\": \"" + node + "\", \"hostname\": \"" + host
                + "\", \"cores\": 4, \"memoryMb\": 4096, \"gpus\": 0, \"running\": [" + running + "], \"time\": \""
                + Instant.now() + "\"" + (cpus == null ? "" : ", \"cpus\": [" + cpus + "]") + "}";
    }

    private static String started(long jobId, String cpus) {
        return started(jobId, cpus, null);
    }

    /** @param gpus the JSON array of its GPU indexes, null for none said */
    private static String started(long jobId, String cpus, String gpus) {
        return "{\"version\": 1, \"type\": \"runner-running\", \"jobId\": " + jobId + ", \"attempt\": 1, \"nodeId\":"
                + " \"n1\", \"time\": \"" + Instant.now() + "\"" + (cpus == null ? "" : ", \"cpus\": \"" + cpus + "\"")
                + (gpus == null ? "" : ", \"gpus\": " + gpus) + "}";
    }

    private static String finished(long jobId) {
        return "{\"version\": 1, \"type\": \"runner-finished\", \"jobId\": " + jobId + ", \"attempt\": 1, \"nodeId\":"
                + " \"n1\", \"exitCode\": 0, \"signal\": 0, \"time\": \"" + Instant.now() + "\"}";
    }

    /**
     * The tables each transaction on the job store's connections wrote, as SQLite's own update and commit hooks
     * tell; a transaction that wrote nothing is left out.
     */
    private static final class CommittedWrites implements HandleListener {
        private final List<Set<String>> committed = new ArrayList<>();

        @Override
        public void handleCreated(Handle h) {
            Set<String> open = new TreeSet<>();
            try {
                SQLiteConnection c = h.getConnection().unwrap(SQLiteConnection.class);
                c.addUpdateListener((type, database, table, rowId) -> {
                    synchronized (this) {
                        open.add(table);
                    }
                });
                c.addCommitListener(new SQLiteCommitListener() {
                    @Override
                    public void onCommit() {
                        synchronized (CommittedWrites.this) {
                            if (!open.isEmpty()) {
                                committed.add(Collections.unmodifiableSet(new TreeSet<>(open)));
                                open.clear();
                                CommittedWrites.this.notifyAll();
                            }
                        }
                    }

                    @Override
                    public void onRollback() {
                        synchronized (CommittedWrites.this) {
                            open.clear();
                        }
                    }
                });
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        synchronized int count() {
            return committed.size();
        }

        /** The transactions committed after the first {@code from}, once one of them wrote the table. */
        synchronized List<Set<String>> awaitWriting(String table, int from, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (committed.subList(from, committed.size()).stream().noneMatch(t -> t.contains(table))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no transaction wrote " + table + " within " + timeout + ", only "
                            + committed.subList(from, committed.size()));
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return List.copyOf(committed.subList(from, committed.size()));
        }
    }

    @Test
    void aStartsCpuIdsAreStoredInTheTransactionOfItsBatch(@TempDir Path dir) throws Exception {
        CommittedWrites writes = new CommittedWrites();
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Clock.systemUTC(), e -> { }, jdbi -> jdbi.getConfig(Handles.class).addListener(writes));
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer commands = s.createConsumer(s.createQueue(Destinations.nodeQueue("n1")));
            c.start();
            head.scheduler().start();
            Session node = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer runner = node.createProducer(node.createQueue(Destinations.RUNNER_EVENTS));
            runner.send(node.createTextMessage(heartbeat("n1", "host1", "", null)));
            node.commit();
            head.scheduler().admit(List.of(new JobStore.NewJob("bound", JobSpec.builder().user("alice").name("bound")
                    .script("#!/bin/sh\ntrue\n").workDir("/tmp").memoryMb(100L).build(), Instant.now(), "None")));
            // Sent once its placement is stored: what the job store commits from here on is the start's.
            NodeCommand.PlaceJob placed = receive(commands, NodeCommand.PlaceJob.class);
            int before = writes.count();

            runner.send(node.createTextMessage(started(placed.jobId(), "1")));
            node.commit();
            List<Set<String>> stored = writes.awaitWriting("attempt_cpus", before, Duration.ofSeconds(10));
            assertEquals(1, stored.size(), "the launch's confirmation and its CPU ids in one transaction: " + stored);
            assertTrue(stored.get(0).containsAll(Set.of("jobs", "attempt_cpus")), stored.toString());
            // SQLite calls its commit hook before the commit ends, so the rows are read once they can be seen.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<AttemptRecord.NodeCpus> cpus = head.jobs().history().attempts(placed.jobId()).get(0).cpus();
            while (cpus == null && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000);
                cpus = head.jobs().history().attempts(placed.jobId()).get(0).cpus();
            }
            assertEquals(List.of(new AttemptRecord.NodeCpus("n1", "host1", "1", 100)), cpus);
        }
    }

    @Test
    void theCpusNodesSayAreStoredWithTheAttemptNodeByNode(@TempDir Path dir) throws Exception {
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer commands = s.createConsumer(s.createQueue(Destinations.nodeQueue("n1")));
            MessageConsumer ended = s.createConsumer(s.createTopic(Destinations.EVENTS), "state = 'COMPLETED'");
            c.start();
            head.scheduler().start();
            Session node = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer runner = node.createProducer(node.createQueue(Destinations.RUNNER_EVENTS));
            runner.send(node.createTextMessage(heartbeat("n1", "host1", "", null)));
            runner.send(node.createTextMessage(heartbeat("n2", "host2", "", null)));
            node.commit();
            JobSpec.Builder spec = JobSpec.builder().user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp");
            head.scheduler().admit(List.of(new JobStore.NewJob("wide", spec.name("wide").nodes(2).tasks(2)
                    .memoryMb(100L).build(), Instant.now(), "None")));
            NodeCommand.PlaceJob wide = receive(commands, NodeCommand.PlaceJob.class);
            head.scheduler().admit(List.of(new JobStore.NewJob("old", spec.name("old").nodes(1).tasks(1)
                    .memoryMb(null).nodelist(List.of("host1")).build(), Instant.now(), "None")));
            NodeCommand.PlaceJob old = receive(commands, NodeCommand.PlaceJob.class);

            String attempt = "{\"jobId\": " + wide.jobId() + ", \"attempt\": 1}";
            runner.send(node.createTextMessage(started(wide.jobId(), "1,0", "[2, 0]")));
            runner.send(node.createTextMessage(started(old.jobId(), null)));
            runner.send(node.createTextMessage(heartbeat("n2", "host2", attempt, "{\"jobId\": " + wide.jobId()
                    + ", \"attempt\": 1, \"cpus\": \"3\", \"gpus\": [1]}")));
            runner.send(node.createTextMessage(finished(wide.jobId())));
            runner.send(node.createTextMessage(finished(old.jobId())));
            node.commit();
            // Decided in that order, each stored before its events go: once the last end is published, all are.
            receive(ended, JobEvent.JobStateChanged.class);
            JobEvent.JobStateChanged last = receive(ended, JobEvent.JobStateChanged.class);
            assertEquals(old.jobId(), last.jobId());

            AttemptRecord a = head.jobs().history().attempts(wide.jobId()).get(0);
            assertEquals(JobState.COMPLETED, a.state());
            assertEquals(List.of(new AttemptRecord.NodeCpus("n1", "host1", "0-1", 100, List.of(0, 2)),
                    new AttemptRecord.NodeCpus("n2", "host2", "3", 100, List.of(1))), a.cpus());
            assertNull(head.jobs().history().attempts(old.jobId()).get(0).cpus(), "its node said nothing");
        }
    }
}
