package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.ExecAccess;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node-runner stopped (SIGTERM: {@code cadre node}'s shutdown hook closes the runner, then its connection) while
 * its head's broker is down: the stop ends within a bound instead of waiting for a broker that does not come back,
 * the job it ran goes on, and the next start adopts it and reports its end. Real broker over TCP, reconnecting
 * connections as a node makes them, the exec service on, a real job.
 */
class StopWithoutHeadIntegrationTest {
    /**
     * What the stop may take: the runner's deadline for its goodbyes, and a little; not also the sender's grace for an
     * unsent end, which the deadline cuts short.
     */
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "t".repeat(64);
    @TempDir
    Path dir;
    @TempDir
    Path work;

    @Test
    void aRunnerStoppedWhileItsHeadIsDownExitsAndItsJobIsAdoptedNextTime() throws Exception {
        try (RestartingBroker broker = new RestartingBroker(dir.resolve("broker"))) {
            RestartingBroker.NodeLink link = broker.node("node n1");
            NodeRunner runner = start(broker, link);
            String nodeId = runner.nodeId();
            JobSpec spec = JobSpec.builder().name("long").user("alice").workDir(work.toString())
                    .script("#!/bin/bash\nwhile [ ! -f " + work.resolve("go") + " ]; do sleep 0.05; done\nexit 5\n")
                    .build();
            JobSpec ending = JobSpec.builder().name("ending").user("alice").workDir(work.toString())
                    .script("#!/bin/bash\nwhile [ ! -f " + work.resolve("end") + " ]; do sleep 0.05; done\nexit 3\n")
                    .build();
            place(broker, nodeId, 7, spec);
            place(broker, nodeId, 8, ending);
            Path claim = dir.resolve("state/jobs/7-1/claim");
            await("job 7 to start", WAIT, () -> claim.toFile().length() > 0);
            long pid = Long.parseLong(Files.readString(claim).strip());
            Path claim8 = dir.resolve("state/jobs/8-1/claim");
            await("job 8 to start", WAIT, () -> claim8.toFile().length() > 0);

            broker.stop();
            await("the node to notice the broker is gone", WAIT, link.lost()::get);
            // Job 8 ends while the head is away: its end waits in the sender when the stop comes.
            Files.writeString(work.resolve("end"), "");
            Path status8 = dir.resolve("state/jobs/8-1").resolve(AttemptDirectory.STATUS);
            await("job 8's end to wait unsent", WAIT, () -> Files.exists(status8) && runner.unsentEvents() > 0);
            long started = System.nanoTime();
            // As cadre node's shutdown hook does: the runner, then the connection it ran on.
            AtomicReference<Exception> failed = new AtomicReference<>();
            Thread stopping = new Thread(() -> {
                try {
                    runner.close();
                    link.connection().close();
                } catch (Exception e) {
                    failed.set(e);
                }
            }, "test-stop");
            stopping.setDaemon(true);
            stopping.start();
            stopping.join(STOP_BOUND.toMillis());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertFalse(stopping.isAlive(), "the stop still waits for the broker after " + took);
            assertNull(failed.get(), "the stop went through to its end");
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "the job runs on without its runner");

            broker.startAgain();
            RunnerEventLog log = new RunnerEventLog(broker.head());
            NodeRunner again = broker.closing(start(broker, broker.node("node n1 again")));
            assertEquals(nodeId, again.nodeId());
            RunnerEvent.RunningAttempt job7 = new RunnerEvent.RunningAttempt(7, 1);
            await("the restarted runner to report job 7 running", WAIT, () -> log.events.stream()
                    .anyMatch(e -> e instanceof RunnerEvent.NodeHeartbeat h && h.running().contains(job7)));
            Files.writeString(work.resolve("go"), "");
            assertEquals(5, log.finished(7).exitCode(), "the adopted job's end is reported with its exit code");
            assertEquals(3, log.finished(8).exitCode(), "the end left unsent at the stop is reported by the next start");
        } finally {
            Files.writeString(work.resolve("go"), "");
            Files.writeString(work.resolve("end"), "");
        }
    }

    private static void place(RestartingBroker broker, String nodeId, long job, JobSpec spec) throws Exception {
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(nodeId))).send(s.createTextMessage(
                    MessageCodec.encode(new NodeCommand.PlaceJob(job, 1, spec, new Allocation(List.of(
                            new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0))), TOKEN))));
        }
    }

    private NodeRunner start(RestartingBroker broker, RestartingBroker.NodeLink link) throws Exception {
        RemoteExec remote = new RemoteExec(work.resolve("cadre-rsh"), new ExecAccess(broker.url(),
                broker.users().exec().user(), broker.users().exec().password()));
        return new NodeRunner(link.connection(), new NodeRunner.Settings(dir.resolve("state"), "host1",
                new NodeResources(2, 1024, 0, List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1),
                "cadre", remote), Clock.systemUTC()).start();
    }
}
