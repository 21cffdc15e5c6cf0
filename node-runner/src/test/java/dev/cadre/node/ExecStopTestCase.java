package dev.cadre.node;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.ExecTarget;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test of a node-runner's exec service that stops cleanly and of the next one that starts after it, over an
 * embedded broker: the agents' account, the exec account a node-runner's relay has, and node n1 holding its part of
 * job attempts coordinated by n0. A command that waits for {@code done} in the work directory ends after the test.
 */
abstract class ExecStopTestCase extends NodeTestCase {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String TOKEN = "h".repeat(64);
    static final String OTHER_TOKEN = "o".repeat(64);
    InVmBroker broker;
    Connection agent;
    /** The agents' session, on {@link #agent}: their requests go out on it, and their reply queues are made on it. */
    Session agents;
    /** The exec account's, as a node-runner's relay has it: what a stopping runner hands requests on over. */
    Connection execAccount;
    private final List<ExecService> services = new ArrayList<>();
    /** The agents that resume their runs with a next runner, each waiting on a thread of its own. */
    private final ExecutorService resumers = Executors.newCachedThreadPool();

    /** A runner's exec sessions alone, without its service, holding job 7's attempt 1 on node n1. */
    record SessionsHolding(ExecRecords records, HeldAttempts held, ExecSessions sessions) {
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = InVmBroker.start(work.resolve("broker"));
        agent = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "agent");
        agents = agent.createSession(false, Session.AUTO_ACKNOWLEDGE);
        execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "exec-relay");
    }

    /** Before the node's close, which removes its cgroups: the commands are ended first. */
    @AfterEach
    void stopAll() throws Exception {
        resumers.shutdownNow();
        Files.writeString(work.resolve("done"), "");
        for (ExecService s : services) {
            s.close();
        }
        agent.close();
        execAccount.close();
        broker.close();
    }

    /** A runner's exec service for node n1; closed after the test unless stopped by it ({@link #stop}). */
    ExecService service(AttemptCgroups cgroups) throws Exception {
        ExecRecords records = new ExecRecords(state.resolve("exec"));
        ExecService s = new ExecService(broker.node(), execAccount, "n1", state.resolve("exec.sock"),
                new HeldAttempts("n1", records), records, cgroups, null, problem -> { }, ExecService.SILENCE_LIMIT);
        services.add(s);
        return s;
    }

    /** A runner's exec service that takes requests and holds the attempt. */
    ExecService started(AttemptCgroups cgroups, NodeCommand.PlaceJob holding) throws Exception {
        ExecService s = service(cgroups);
        s.start();
        s.hold(holding);
        return s;
    }

    /** Exec sessions as a runner's, holding job 7's attempt 1 ({@link #place}), its commands' kills 1 s apart. */
    SessionsHolding sessionsHolding7(AttemptCgroups cgroups) throws IOException {
        ExecRecords records = new ExecRecords(state.resolve("exec"));
        HeldAttempts held = new HeldAttempts("n1", records);
        held.hold(place(7, TOKEN));
        return new SessionsHolding(records, held, new ExecSessions(records, held, Duration.ofSeconds(1), cgroups));
    }

    NodeCommand.PlaceJob place(long job, String token) {
        return place(job, token, Map.of());
    }

    /** The job's attempt 1, its script on n0: n1 holds its part of it, and records that it does. */
    NodeCommand.PlaceJob place(long job, String token, Map<String, String> environment) {
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(work.toString()).environment(environment)
                .script("#!/bin/sh\nsleep 300\n").build();
        return new NodeCommand.PlaceJob(job, 1, spec, new Allocation(List.of(
                new Allocation.NodeSlots("n0", "h0", 1, 1, 0, 0),
                new Allocation.NodeSlots("n1", "h1", 1, 1, 0, 0))), token);
    }

    /**
     * Starts the command on these sessions, as the exec service does, its answers going to the agent's queue, and
     * stops the runner as its exit is on its way: the sessions and then their replies are closed (ExecService.close),
     * so that the broker does not take the exit.
     *
     * @return whether the exit went out, once it was passed on
     */
    CompletableFuture<Boolean> startStoppingAtItsExit(ExecSessions sessions, Destination agentQueue,
            ExecMessage.ExecRequest request) throws IOException, JMSException {
        ExecReplies replies = new ExecReplies(broker.node());
        ReplyRoute route = new ReplyRoute(replies, request.requestId(), agentQueue);
        CompletableFuture<Boolean> exitSent = new CompletableFuture<>();
        sessions.start(request, work, Map.of("PATH", System.getenv("PATH")), answer -> {
            if (!(answer instanceof ExecMessage.ExecExit)) {
                return route.send(answer);
            }
            sessions.close(); // the runner's stop, as the exit is on its way
            try {
                replies.close();
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            boolean sent = route.send(answer);
            exitSent.complete(sent);
            return sent;
        });
        return exitSent;
    }

    /** Sends the request to node n1, as an agent's relay does; its answers come to {@code replies}. */
    void send(ExecMessage.ExecRequest request, TemporaryQueue replies) throws JMSException {
        TextMessage m = agents.createTextMessage(MessageCodec.encode(request));
        m.setJMSReplyTo(replies);
        agents.createProducer(agents.createQueue(Destinations.execQueue("n1"))).send(m);
    }

    /** Its agent resuming the run of job 7 with the next runner (protocol.md 13.9), on a connection of its own. */
    CompletableFuture<ExecClient.Outcome> resume(String requestId) {
        return resume(requestId, new CollectedOutput());
    }

    CompletableFuture<ExecClient.Outcome> resume(String requestId, ExecClient.Output output) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "resumer");
                 ExecClient client = new ExecClient(c)) {
                return client.resume(new ExecTarget("h1", "n1", new ExecMessage.ExecRequest(requestId, 7, 1, TOKEN,
                        "resumed")), output, () -> false, killed -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, resumers);
    }

    /** The runner's clean stop of its exec service (NodeRunner.close). */
    void stop(ExecService service) throws Exception {
        service.close();
        services.remove(service);
    }

    /**
     * The next runner's exec service, started as NodeRunner starts it, after the cgroups the last one's stop removes
     * (all that are empty but those of commands whose requests are still recorded, as NodeRunner stops).
     */
    ExecService next(AttemptCgroups cgroups) throws Exception {
        if (cgroups != null) {
            cgroups.removeEmpty(attempt -> false, new ExecRecords(state.resolve("exec"))::leavesForNextStart);
        }
        ExecService next = service(cgroups);
        next.restore();
        next.killLeftoversOfUnheld();
        next.start();
        return next;
    }
}
