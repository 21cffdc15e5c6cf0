package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node follows the head's node timeout, which the place-job carries, in how long a command outlives its agent's
 * silence: with a head timeout longer than the default, a command whose agent is silent (the head away) is not
 * killed at the fixed limit, here a short stand-in for the 65 s, but once the head's timeout and 5 s have passed.
 */
class ExecNodeTimeoutIntegrationTest {
    /** The stand-in for the fixed 65 s of nodes before the field. */
    private static final Duration FIXED_LIMIT = Duration.ofSeconds(2);
    /** The head's, longer than the fixed limit: a command may then be silent for 4 + 5 s. */
    private static final long NODE_TIMEOUT_MILLIS = 4_000;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "n".repeat(64);
    @TempDir
    Path dir;
    private InVmBroker broker;
    /** The exec account's, as a node-runner's relay has it. */
    private Connection execAccount;
    private ExecService exec;

    @BeforeEach
    void startNode() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        ExecRecords records = new ExecRecords(dir.resolve("exec"));
        execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "exec-relay");
        exec = new ExecService(broker.node(), execAccount, "n1", dir.resolve("exec.sock"), new HeldAttempts("n1",
                records), records, null, null, problem -> { }, FIXED_LIMIT);
        exec.start();
    }

    @AfterEach
    void stopNode() throws Exception {
        exec.close();
        execAccount.close();
        broker.close();
    }

    /** The next answer on the agent's reply queue. */
    private static ExecMessage answer(MessageConsumer answers) throws Exception {
        if (!(answers.receive(WAIT.toMillis()) instanceof TextMessage t)) {
            return fail("no answer from the node within " + WAIT);
        }
        return MessageCodec.decode(t.getText(), ExecMessage.class);
    }

    @Test
    void aSilentCommandLivesForTheHeadsNodeTimeoutAndFiveSeconds() throws Exception {
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(dir.toString())
                .script("#!/bin/sh\nsleep 300\n").build();
        var nodes = List.of(new Allocation.NodeSlots("n0", "h0", 1, 1, 0, 0),
                new Allocation.NodeSlots("n1", "h1", 1, 1, 0, 0));
        exec.hold(new NodeCommand.PlaceJob(7, 1, spec, new Allocation(nodes), TOKEN, null, null,
                NODE_TIMEOUT_MILLIS));
        try (Connection agent = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "agent")) {
            Session s = agent.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer toNode = s.createProducer(s.createQueue(Destinations.execQueue("n1")));
            Message request = s.createTextMessage(MessageCodec.encode(new ExecMessage.ExecRequest("silent", 7, 1,
                    TOKEN, "exec sleep 300")));
            request.setJMSReplyTo(s.createTemporaryQueue());
            MessageConsumer answers = s.createConsumer(request.getJMSReplyTo());
            long sent = System.nanoTime();
            toNode.send(request); // the agent's one message: no keepalive follows, as while the head is away
            ProcessHandle command = ProcessHandle.of(((ExecMessage.ExecStarted) answer(answers)).pid()).orElseThrow();

            assertThrows(TimeoutException.class, () -> command.onExit().get(FIXED_LIMIT.toMillis() + 2_000,
                    TimeUnit.MILLISECONDS), "killed at the fixed limit");
            await("the silent agent's command to be killed", WAIT, () -> !command.isAlive());
            Duration lived = Duration.ofNanos(System.nanoTime() - sent);
            assertTrue(lived.toMillis() >= NODE_TIMEOUT_MILLIS + 5_000, "killed after " + lived
                    + ", before the head's node timeout and 5 s");
            ExecMessage.ExecExit exit = (ExecMessage.ExecExit) answer(answers);
            // With what the sleeping command used (protocol.md 13.7), whatever that is.
            assertEquals(new ExecMessage.ExecExit("silent", 143, 15, null, null, exit.usage()), exit,
                    "SIGTERM's, and nothing else");
        }
    }
}
