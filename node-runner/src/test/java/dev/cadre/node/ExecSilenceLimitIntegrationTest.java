package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback for an agent nobody released (its coordinator's runner died with it): its command is killed once the
 * agent has been silent for the limit, here a short one, and the exit names the SIGTERM.
 */
class ExecSilenceLimitIntegrationTest {
    private static final Duration LIMIT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "s".repeat(64);
    @TempDir
    Path dir;

    @Test
    void aCommandWhoseAgentStaysSilentPastTheLimitIsKilled() throws Exception {
        try (InVmBroker broker = InVmBroker.start(dir.resolve("broker"));
             Connection execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                     "exec-relay")) {
            ExecRecords records = new ExecRecords(dir.resolve("exec"));
            ExecService exec = new ExecService(broker.node(), execAccount, "n1", dir.resolve("exec.sock"),
                    new HeldAttempts("n1", records), records, null, null, problem -> { }, LIMIT);
            try (Connection agent = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                    "agent")) {
                exec.start();
                JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(dir.toString())
                        .script("#!/bin/sh\nsleep 300\n").build();
                exec.hold(new NodeCommand.PlaceJob(7, 1, spec, new Allocation(List.of(
                        new Allocation.NodeSlots("n0", "h0", 1, 1, 0, 0),
                        new Allocation.NodeSlots("n1", "h1", 1, 1, 0, 0))), TOKEN));
                Session s = agent.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TemporaryQueue replies = s.createTemporaryQueue();
                MessageConsumer answers = s.createConsumer(replies);
                TextMessage request = s.createTextMessage(MessageCodec.encode(new ExecMessage.ExecRequest("r1", 7,
                        1, TOKEN, "exec sleep 300")));
                request.setJMSReplyTo(replies);
                s.createProducer(s.createQueue(Destinations.execQueue("n1"))).send(request);
                Message started = answers.receive(WAIT.toMillis());
                assertNotNull(started, "no exec-started");
                long pid = ((ExecMessage.ExecStarted) MessageCodec.decode(((TextMessage) started).getText())).pid();
                ProcessHandle command = ProcessHandle.of(pid).orElseThrow();

                await("the silent agent's command to be killed", WAIT, () -> !command.isAlive());
                Message exit = answers.receive(WAIT.toMillis());
                assertNotNull(exit, "no exec-exit");
                assertTrue(MessageCodec.decode(((TextMessage) exit).getText()) instanceof ExecMessage.ExecExit e
                        && e.exitCode() == 143, ((TextMessage) exit).getText());
            } finally {
                exec.close();
            }
        }
    }
}
