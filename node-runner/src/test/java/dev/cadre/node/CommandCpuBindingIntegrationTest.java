package dev.cadre.node;

import static dev.cadre.node.SupervisedJobs.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.CpuList;
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
import java.util.SortedSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote commands (srun steps, MPI ranks) bound to their attempt's CPUs, on a real broker and this machine's real
 * CPUs, a node declaring two cores: on the node that runs the script, the script's CPUs; on a node holding part of
 * another node's job, CPUs chosen as it takes the attempt, which a batch job placed later does not get, also after a
 * restart of the node-runner. With binding off, commands run on every CPU. Needs two CPUs at least.
 */
class CommandCpuBindingIntegrationTest {
    private static final String TOKEN = "t".repeat(64);
    /** What a command or script writes: nproc's count, then its Cpus_allowed_list. */
    private static final String SEE = "nproc; grep Cpus_allowed_list /proc/self/status | cut -f2";
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private SortedSet<Integer> machine;
    private InVmBroker broker;
    private NodeRunner runner;
    private String nodeId;

    @BeforeEach
    void start() throws Exception {
        machine = BoundCpus.cpusOf("self").orElseThrow();
        assumeTrue(machine.size() >= 2, "the test JVM may run on " + machine + " alone");
        broker = InVmBroker.start(dir.resolve("broker"));
    }

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

    private void startRunner(CpuChoice.Mode binding) throws Exception {
        RemoteExec remote = new RemoteExec(work.resolve("cadre-rsh"), new ExecAccess(EmbeddedBroker.IN_VM_URL,
                broker.users().exec().user(), broker.users().exec().password()));
        Path state = dir.resolve("state");
        runner = new NodeRunner(broker.node(), new NodeRunner.Settings(state, "host1", new NodeResources(2, 1024, 0,
                List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1), "cadre", remote,
                new RuntimeDirectory(state, "the state directory"), ProcessTracking.Mode.AUTO,
                MemoryWatch.DEFAULT_INTERVAL, binding), Clock.systemUTC()).start();
        nodeId = runner.nodeId();
    }

    /** Job {@code id}, with one CPU here; its script writes what it sees, then waits for "go" or "go-ID". */
    private void place(long id, boolean coordinatedHere) throws Exception {
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(work.toString())
                .script("#!/bin/bash\n(" + SEE + ") > seen-" + id + ".tmp; mv seen-" + id + ".tmp seen-" + id
                        + "\nuntil [ -f go ] || [ -f go-" + id + " ]; do sleep 0.05; done\n").build();
        Allocation.NodeSlots here = new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0);
        Allocation.NodeSlots elsewhere = new Allocation.NodeSlots("n0", "host0", 1, 1, 0, 0);
        NodeCommand.PlaceJob place = new NodeCommand.PlaceJob(id, 1, spec, new Allocation(coordinatedHere
                ? List.of(here) : List.of(elsewhere, here)), TOKEN);
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(nodeId)))
                    .send(s.createTextMessage(MessageCodec.encode(place)));
        }
    }

    /** What job {@code id}'s script saw. */
    private List<String> scriptSaw(long id) throws Exception {
        Path seen = work.resolve("seen-" + id);
        await("job " + id + "'s script", Duration.ofSeconds(20), () -> Files.exists(seen));
        return Files.readAllLines(seen);
    }

    /** What a remote command of job {@code id} sees, run here as an agent would ask. */
    private List<String> commandSees(long id, String requestId) throws Exception {
        try (Connection execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                "exec");
             ExecClient client = new ExecClient(execAccount)) {
            CollectedOutput output = new CollectedOutput();
            ExecClient.Outcome outcome = client.run(new ExecTarget("host1", nodeId, new ExecMessage.ExecRequest(
                    requestId, id, 1, TOKEN, SEE)), output, () -> false);
            assertNull(outcome.failure(), output.stderr());
            assertEquals(0, outcome.exitCode(), output.stderr());
            assertEquals("", output.stderr());
            return List.of(output.stdout().split("\n"));
        }
    }

    private String lowest() {
        return Integer.toString(machine.first());
    }

    @Test
    void aCommandOfAnAttemptWhoseScriptRunsHereRunsOnTheScriptsCpus() throws Exception {
        startRunner(CpuChoice.Mode.CORES);
        place(7, true);
        List<String> script = scriptSaw(7);
        assertEquals(List.of("1", lowest()), script);
        assertEquals(script, commandSees(7, "r7"));
    }

    @Test
    void aHeldAttemptsCommandsRunOnCpusOfItsOwnWhichABatchJobPlacedLaterDoesNotGet() throws Exception {
        startRunner(CpuChoice.Mode.CORES);
        place(8, false);
        List<String> held = commandSees(8, "r8");
        assertEquals(List.of("1", lowest()), held);
        place(9, true);
        List<String> batch = scriptSaw(9);
        assertEquals("1", batch.get(0));
        assertNotEquals(held.get(1), batch.get(1), "job 9 was given the CPU held for job 8's commands");
    }

    /**
     * Job 7's script holds the lowest CPU and job 8's commands the next; the restarted runner holds job 8 again
     * before it adopts job 7, and must not choose job 8's CPUs anew (they would be job 7's): it reads them from job
     * 8's record. Once job 7 has ended, the next batch job gets its CPU, not job 8's.
     */
    @Test
    void aRestartedRunnerKeepsAHeldAttemptsCpusFromItsRecord() throws Exception {
        startRunner(CpuChoice.Mode.CORES);
        place(7, true);
        assertEquals(List.of("1", lowest()), scriptSaw(7));
        place(8, false);
        List<String> held = commandSees(8, "r8");
        assertEquals("1", held.get(0));
        assertNotEquals(lowest(), held.get(1));
        runner.close();
        startRunner(CpuChoice.Mode.CORES);
        assertEquals(held, commandSees(8, "r8-again"), "after the restart");
        Files.writeString(work.resolve("go-7"), "");
        Path job7 = dir.resolve("state/jobs/7-1");
        await("job 7's end", Duration.ofSeconds(20), () -> !Files.exists(job7));
        place(9, true);
        assertEquals(List.of("1", lowest()), scriptSaw(9), "job 9 did not get job 7's CPU");
    }

    @Test
    void withBindingOffCommandsRunOnEveryCpu() throws Exception {
        startRunner(CpuChoice.Mode.NONE);
        List<String> all = List.of(Integer.toString(machine.size()), CpuList.format(machine));
        place(8, false);
        assertEquals(all, commandSees(8, "r8"));
        place(7, true);
        assertEquals(all, scriptSaw(7));
        assertEquals(all, commandSees(7, "r7"));
    }
}
