package dev.cadre.scheduler;

import static dev.cadre.scheduler.SubmissionIntakeIntegrationTest.send;
import static dev.cadre.scheduler.SubmissionIntakeIntegrationTest.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cadre.db on a small tmpfs that is then filled: a submission that meets SQLITE_FULL is held, not rolled back
 * until the broker dead-letters it, and is accepted once space is freed. The broker's journal lives elsewhere, as
 * a broker on a full disk is a different matter.
 */
class FullDiskSubmissionIntegrationTest {
    @TempDir
    Path dir;
    Path small;
    EmbeddedBroker broker;
    BrokerUsers users = BrokerUsers.generate();

    @BeforeEach
    void mountSmallDisk() throws Exception {
        small = Files.createDirectory(dir.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString());
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir.resolve("broker"), "127.0.0.1", 0, 0, 0, users))
                .start();
    }

    @AfterEach
    void unmount() throws Exception {
        broker.close();
        run("umount", small.toString());
    }

    @Test
    void aSubmissionThatMeetsAFullDiskIsAcceptedOnceThereIsSpaceAgainNotDeadLettered() throws Exception {
        Path file = small.resolve("cadre.db");
        Path filler = small.resolve("filler");
        Jdbi db = Database.open(file);
        // Held open so that the -wal and -shm files stay while the disk is full (the last close would remove them).
        try (var holder = DriverManager.getConnection("jdbc:sqlite:" + file);
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "client");
                Connection schedulerConnection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(),
                        "scheduler")) {
            c.start();
            JobStore jobs = new JobStore(db);
            SchedulerService scheduler = new SchedulerService(schedulerConnection, jobs,
                    new NodeStore(db), new ServiceStore(db), new ReservationStore(db),
                    new PartitionStore(db), Clock.systemUTC(),
                    new SchedulerService.Settings(
                            Duration.ofSeconds(30), Duration.ofSeconds(1), 500, "secret", e -> { })).start();
            try {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue replyQueue = s.createTemporaryQueue();
                MessageConsumer replies = s.createConsumer(replyQueue);
                MessageConsumer dead = s.createConsumer(s.createQueue(Destinations.DEAD_LETTERS));
                send(s, replyQueue, submit("before"), "c-before");
                assertInstanceOf(ClientReply.JobAccepted.class, reply(replies.receive(30_000)));

                // Every later write must grow the WAL, which the full disk refuses.
                try (ResultSet rs = holder.createStatement().executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    assertEquals(0, rs.getInt(1), "the checkpoint was blocked");
                }
                fill(filler);
                send(s, replyQueue, submit("during"), "c-during");
                // Without the hold, its 10 deliveries 100 ms apart dead-letter it well within this.
                assertNull(dead.receive(4_000), "a submission was dead-lettered for a full disk");
                assertNull(replies.receiveNoWait(), "answered while the disk was full");

                Files.delete(filler);
                TextMessage accepted = (TextMessage) replies.receive(30_000);
                assertNotNull(accepted, "not answered after space was freed");
                assertEquals("c-during", accepted.getJMSCorrelationID());
                var job = assertInstanceOf(ClientReply.JobAccepted.class, reply(accepted));
                assertEquals(2, job.jobId());
                assertNull(dead.receiveNoWait());
            } finally {
                Files.deleteIfExists(filler);
                scheduler.close();
                jobs.close();
            }
        }
    }

    private static ClientReply reply(jakarta.jms.Message m) throws Exception {
        assertNotNull(m, "no reply");
        return MessageCodec.decode(((TextMessage) m).getText(), ClientReply.class);
    }

    /** Writes until the file system says it is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!full.getMessage().contains("No space left")) {
                throw full;
            }
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
