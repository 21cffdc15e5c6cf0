package dev.cadre.node;

import static dev.cadre.node.SupervisedJobs.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.ExecTarget;
import dev.cadre.node.core.ProcessTracking;
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
import java.util.Map;

/**
 * A real node-runner ("host1") on an in-VM broker, which a test places jobs on as the head does and runs remote
 * commands through as an agent does, to see what a job's script and its commands see. Each job's script writes what
 * a shell command shows to {@code seen-ID} in the work directory, then waits for "go" or "go-ID" there.
 */
final class ProbedNode implements AutoCloseable {
    static final String TOKEN = "t".repeat(64);
    final InVmBroker broker;
    private final Path dir;
    private final Path work;
    private NodeRunner runner;
    private String nodeId;

    ProbedNode(Path dir, Path work) throws Exception {
        this.dir = dir;
        this.work = work;
        this.broker = InVmBroker.start(dir.resolve("broker"));
    }

    /** Starts the runner on the node's state directory (again, after {@link #stopRunner}). */
    void startRunner(NodeResources resources, Duration heartbeat, CpuChoice.Mode binding) throws Exception {
        RemoteExec remote = new RemoteExec(work.resolve("cadre-rsh"), new ExecAccess(EmbeddedBroker.IN_VM_URL,
                broker.users().exec().user(), broker.users().exec().password()));
        Path state = dir.resolve("state");
        runner = new NodeRunner(broker.node(), new NodeRunner.Settings(state, "host1", resources, heartbeat,
                Duration.ofSeconds(1), "cadre", remote, new RuntimeDirectory(state, "the state directory"),
                ProcessTracking.Mode.AUTO, MemoryWatch.DEFAULT_INTERVAL, binding), Clock.systemUTC()).start();
        nodeId = runner.nodeId();
    }

    /** Stops the runner cleanly, leaving its jobs for the next one. */
    void stopRunner() throws Exception {
        runner.close();
        runner = null;
    }

    /**
     * Places job {@code id} with one task and CPU and {@code gpus} GPUs here; coordinated elsewhere ("host0" first),
     * it is only held here for its remote commands.
     */
    void place(long id, int gpus, boolean coordinatedHere, String see, Map<String, String> environment)
            throws Exception {
        place(id, 1, gpus, null, coordinatedHere, see, environment);
    }

    /** As above, the head saying how many GPUs of each type the job has here ({@code gpuTypes}; null: no types). */
    void place(long id, int gpus, Map<String, Integer> gpuTypes, boolean coordinatedHere, String see,
            Map<String, String> environment) throws Exception {
        place(id, 1, gpus, gpuTypes, coordinatedHere, see, environment);
    }

    /** The same, with {@code cpus} tasks and CPUs here. */
    void place(long id, int cpus, int gpus, boolean coordinatedHere, String see, Map<String, String> environment)
            throws Exception {
        place(id, cpus, gpus, null, coordinatedHere, see, environment);
    }

    private void place(long id, int cpus, int gpus, Map<String, Integer> gpuTypes, boolean coordinatedHere,
            String see, Map<String, String> environment) throws Exception {
        JobSpec spec = JobSpec.builder().name("probe").user("alice").workDir(work.toString()).environment(environment)
                .script("#!/bin/bash\n(" + see + ") > seen-" + id + ".tmp; mv seen-" + id + ".tmp seen-" + id
                        + "\nuntil [ -f go ] || [ -f go-" + id + " ]; do sleep 0.05; done\n").build();
        Allocation.NodeSlots here = new Allocation.NodeSlots(nodeId, "host1", cpus, cpus, gpus, 0, gpuTypes);
        Allocation.NodeSlots elsewhere = new Allocation.NodeSlots("n0", "host0", cpus, cpus, gpus, 0, gpuTypes);
        NodeCommand.PlaceJob place = new NodeCommand.PlaceJob(id, 1, spec, new Allocation(coordinatedHere
                ? List.of(here) : List.of(elsewhere, here)), TOKEN);
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(nodeId)))
                    .send(s.createTextMessage(MessageCodec.encode(place)));
        }
    }

    /** What job {@code id}'s script saw, once it wrote it. */
    List<String> scriptSaw(long id) throws Exception {
        Path seen = work.resolve("seen-" + id);
        await("job " + id + "'s script", Duration.ofSeconds(20), () -> Files.exists(seen));
        return Files.readAllLines(seen);
    }

    /** What {@code command}, a remote command of job {@code id} run here as an agent would ask, writes. */
    List<String> commandSees(long id, String requestId, String command) throws Exception {
        try (Connection execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                "exec");
             ExecClient client = new ExecClient(execAccount)) {
            CollectedOutput output = new CollectedOutput();
            ExecClient.Outcome outcome = client.run(new ExecTarget("host1", nodeId, new ExecMessage.ExecRequest(
                    requestId, id, 1, TOKEN, command)), output, () -> false);
            assertNull(outcome.failure(), output.stderr());
            assertEquals(0, outcome.exitCode(), output.stderr());
            assertEquals("", output.stderr());
            return output.stdout().isEmpty() ? List.of() : List.of(output.stdout().split("\n"));
        }
    }

    /** Runs {@code command} here as task {@code task} of a step of job {@code id}, as srun asks. */
    ExecClient.Outcome runTask(long id, String requestId, String command, ExecMessage.StepTask task,
            CollectedOutput output) throws Exception {
        try (Connection execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                "exec");
             ExecClient client = new ExecClient(execAccount)) {
            return client.run(new ExecTarget("host1", nodeId, new ExecMessage.ExecRequest(requestId, id, 1, TOKEN,
                    command, null, task)), output, () -> false);
        }
    }

    @Override
    public void close() throws Exception {
        Files.writeString(work.resolve("go"), "");
        if (runner != null) {
            runner.close();
        }
        broker.close();
    }
}
