package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.ExecTarget;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node-runner restarted while its job runs, on a real broker: the job it adopts may still run commands on the
 * node through its exec service, as an MPI job's srun or mpirun does.
 */
class AdoptedAttemptExecIntegrationTest {
    private static final String TOKEN = "t".repeat(64);
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private NodeRunner runner;

    @AfterEach
    void stop() throws Exception {
        Files.writeString(work.resolve("go"), "");
        if (runner != null) {
            runner.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private NodeRunner startRunner() throws Exception {
        RemoteExec remote = new RemoteExec(work.resolve("cadre-rsh"), new ExecAccess(EmbeddedBroker.IN_VM_URL,
                broker.users().exec().user(), broker.users().exec().password()));
        return new NodeRunner(broker.node(), new NodeRunner.Settings(dir.resolve("state"), "host1",
                new NodeResources(2, 1024, 0, List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1),
                "cadre", remote), Clock.systemUTC()).start();
    }

    @Test
    void aJobAdoptedAfterARestartMayStillRunCommandsOnItsNode() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        runner = startRunner();
        String nodeId = runner.nodeId();
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(work.toString())
                .script("#!/bin/bash\nwhile [ ! -f " + work.resolve("go") + " ]; do sleep 0.05; done\n").build();
        NodeCommand.PlaceJob place = new NodeCommand.PlaceJob(7, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0))), TOKEN);
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(nodeId)))
                    .send(s.createTextMessage(MessageCodec.encode(place)));
        }
        Path claim = dir.resolve("state/jobs/7-1/claim");
        await("job 7 to start", Duration.ofSeconds(20), () -> Files.exists(claim));

        runner.close(); // the job runs on without its runner
        runner = startRunner();

        try (Connection execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                "exec");
             ExecClient client = new ExecClient(execAccount)) {
            CollectedOutput output = new CollectedOutput();
            ExecClient.Outcome outcome = client.run(new ExecTarget("host1", nodeId, new ExecMessage.ExecRequest(
                    "adopted-1", 7, 1, TOKEN, "echo still here")), output, () -> false);
            assertNull(outcome.failure(), output.stderr());
            assertEquals(0, outcome.exitCode());
            assertEquals("still here\n", output.stdout());
        }
    }
}
