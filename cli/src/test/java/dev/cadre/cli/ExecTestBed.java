package dev.cadre.cli;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.NodeResources;
import dev.cadre.node.core.NodeGpus;
import dev.cadre.node.NodeRunner;
import dev.cadre.node.RemoteExec;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real broker and two real node-runners, alpha and beta, with their exec services and relays: what remote
 * exec needs short of a scheduler, whose place-jobs and kill-jobs the tests send themselves.
 */
final class ExecTestBed implements AutoCloseable {
    static final String TOKEN = "a".repeat(64);
    final Path dir;
    final BrokerUsers users = BrokerUsers.generate();
    private final EmbeddedBroker.Settings samePorts;
    EmbeddedBroker broker;
    final String brokerUrl;
    NodeRunner alpha;
    private Connection alphaConnection;
    final NodeRunner beta;
    private final List<AutoCloseable> started = new ArrayList<>();

    ExecTestBed(Path dir) throws Exception {
        this.dir = dir;
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir.resolve("broker"), "127.0.0.1", 0, 0, 0, users))
                .start();
        brokerUrl = "tcp://127.0.0.1:" + broker.corePort();
        samePorts = new EmbeddedBroker.Settings(dir.resolve("broker"), "127.0.0.1", broker.corePort(),
                broker.amqpPort(), broker.stompPort(), users);
        alpha = node("alpha");
        alphaConnection = (Connection) started.get(started.size() - 1);
        beta = node("beta");
    }

    /**
     * Stops alpha's node-runner as for an upgrade and starts the next one on the same directory and relay socket; the
     * jobs' processes run on.
     */
    void restartAlpha() throws Exception {
        started.remove(alpha);
        started.remove(alphaConnection);
        alpha.close();
        alphaConnection.close();
        alpha = node("alpha");
        alphaConnection = (Connection) started.get(started.size() - 1);
    }

    private NodeRunner node(String hostname) throws Exception {
        Connection c = BrokerConnections.open(brokerUrl, users.node(), hostname);
        started.add(c);
        var remote = new RemoteExec(CadreProcess.ROOT.resolve("bin/cadre-rsh"), new ExecAccess(brokerUrl,
                users.exec().user(), users.exec().password()));
        NodeRunner n = new NodeRunner(c, new NodeRunner.Settings(dir.resolve(hostname), hostname,
                NodeResources.detect(2, 1024L, NodeGpus.NONE), Duration.ofSeconds(1), Duration.ofSeconds(1), "test",
                remote),
                Clock.systemUTC()).start();
        started.add(0, n);
        return n;
    }

    /**
     * Places job 7 attempt 1 on alpha (coordinator, running a long script) and beta, as the scheduler does, and
     * waits until beta takes its exec requests.
     *
     * @param works whether an agent with the returned environment got "true" run on beta
     * @return what alpha gives the job's script: its agent reaches beta through alpha's relay
     */
    Map<String, String> placeJob(Predicate<Map<String, String>> works) throws Exception {
        var place = job7();
        sendAsScheduler(Destinations.nodeQueue(alpha.nodeId()), place);
        sendAsScheduler(Destinations.nodeQueue(beta.nodeId()), place);
        Map<String, String> env = new HashMap<>(ExecAccess.environment(7, 1, TOKEN, place.allocation(),
                dir.resolve("alpha/exec.sock")));
        // The node consumes its queue on its own thread.
        CadreProcess.await("beta to take job 7's exec requests", Duration.ofSeconds(20), () -> works.test(env));
        return env;
    }

    /** Job 7 attempt 1 on alpha (coordinator, running a long script) and beta. */
    NodeCommand.PlaceJob job7() {
        Allocation allocation = new Allocation(List.of(
                new Allocation.NodeSlots(alpha.nodeId(), "alpha", 1, 1, 0, 0),
                new Allocation.NodeSlots(beta.nodeId(), "beta", 1, 1, 0, 0)));
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").script("#!/bin/sh\nsleep 300\n")
                .workDir(dir.toString()).build();
        return new NodeCommand.PlaceJob(7, 1, spec, allocation, TOKEN);
    }

    void sendAsScheduler(String queue, NodeCommand command) throws Exception {
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "scheduler")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(MessageCodec.encode(command)));
        }
    }

    /** The head's broker goes away, as when the head is killed or cut off: the nodes' connections try to reconnect. */
    void stopBroker() throws Exception {
        broker.close();
    }

    /** The head's broker is back on the same ports, from its journal. */
    void startBrokerAgain() throws Exception {
        broker = new EmbeddedBroker(samePorts).start();
    }

    /** A wrapper or script of this bed's jobs (the nodes' launchers, also under dir, end with the nodes). */
    private boolean jobProcess(String commandLine) {
        return commandLine.contains(dir.toString()) && !commandLine.contains("cadre-job-launcher");
    }

    /**
     * Kills job 7 first: its launcher and script outlive the node-runners by design (a node's jobs survive its
     * restart), and would otherwise outlive the test.
     */
    @Override
    public void close() throws Exception {
        var kill = new NodeCommand.KillJob(7, 1, JobState.CANCELLED);
        sendAsScheduler(Destinations.nodeQueue(alpha.nodeId()), kill);
        sendAsScheduler(Destinations.nodeQueue(beta.nodeId()), kill);
        try {
            CadreProcess.await("job 7's processes to be gone", Duration.ofSeconds(30), () -> ProcessHandle
                    .allProcesses().noneMatch(p -> jobProcess(p.info().commandLine().orElse(""))));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + ProcessHandle.allProcesses()
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                    .filter(this::jobProcess).toList(), e);
        }
        for (AutoCloseable c : started) {
            c.close();
        }
        broker.close();
    }
}
