package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that ends while the head's broker is down, and a node-runner stopped before the broker is back: its
 * sender keeps the end while it runs, gives it up at close within its grace, and the next start of the
 * node-runner reports it from the attempt directory. Real broker over TCP, reconnecting connection, real job.
 */
class UnsentEndAtCloseIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    @TempDir
    Path state;
    @TempDir
    Path work;
    @Test
    void anEndUnsentAtCloseIsReportedByTheNextStart() throws Exception {
        try (RestartingBroker broker = new RestartingBroker(dir)) {
            RestartingBroker.NodeLink node = broker.node("node n1");
            RunnerEventSender sender = new RunnerEventSender(node.connection(), "n1", Clock.systemUTC());
            JobSupervisor supervisor = new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test", via(sender),
                    Clock.systemUTC());
            Path go = work.resolve("go");
            supervisor.launch(place(31, "while [ ! -f " + go + " ]; do sleep 0.05; done; exit 7"));

            broker.stop();
            await("the node to notice the broker is gone", WAIT, node.lost()::get);
            Files.writeString(go, "");
            await("the job's end to wait in the sender", WAIT, () -> sender.unsent() == 1);
            Path attemptDir = AttemptDirectory.of(state.resolve("jobs"), 31, 1);
            long started = System.nanoTime();
            supervisor.close();
            sender.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(RunnerEventSender.CLOSE_GRACE.plusSeconds(5)) < 0, "close took " + took);
            assertEquals(0, sender.unsent(), "failed at close");
            assertTrue(Files.isDirectory(attemptDir), "the unsent end keeps its attempt directory");

            broker.startAgain();
            RunnerEventLog log = new RunnerEventLog(broker.head());
            RestartingBroker.NodeLink again = broker.node("node n1 again");
            RunnerEventSender restartedSender = broker.closing(new RunnerEventSender(again.connection(), "n1",
                    Clock.systemUTC()));
            JobSupervisor restarted = broker.closing(new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test",
                    via(restartedSender), Clock.systemUTC()));
            restarted.adoptLeftovers(place -> { });

            assertEquals(7, log.finished(31).exitCode(), "the next start reports the end with the job's exit code");
            await("the reported attempt to be forgotten", WAIT, () -> !Files.exists(attemptDir));
        }
    }

    /** As the node-runner hands its supervisor's events to its sender. */
    private static AttemptEvents via(RunnerEventSender sender) {
        return new AttemptEvents() {
            @Override
            public void send(RunnerEvent event) throws Exception {
                sender.send(event).get();
            }

            @Override
            public CompletableFuture<Void> sendInBackground(RunnerEvent event) {
                return sender.send(event);
            }
        };
    }

    private NodeCommand.PlaceJob place(long id, String body) {
        JobSpec spec = JobSpec.builder().name("t" + id).user("alice").script("#!/bin/bash\n" + body + "\n")
                .workDir(work.toString()).submitHost("submit-host").build();
        return new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
    }
}
