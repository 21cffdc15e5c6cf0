package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's memory request holds on every node of its allocation: two real node-runners on one broker, the job's
 * script on the first running a command on the second through the real {@code cadre-rsh} agent, as mpirun or srun
 * starts its ranks there, and real processes holding the memory.
 */
class MultiNodeMemoryLimitIntegrationTest {
    /** The agent jobs get, from the checkout: tests run in the module's directory. */
    private static final Path AGENT = AgentNodes.AGENT;
    private static final String TOKEN = "m".repeat(64);
    /** The nodes and their connections, in the order they are closed. */
    private final List<AutoCloseable> closing = new ArrayList<>();
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private NodeRunner first;
    private NodeRunner second;
    /** What the nodes send the head. */
    private RunnerEventLog head;

    @BeforeEach
    void start() throws Exception {
        assertTrue(Files.isExecutable(AGENT), AGENT + " is the agent jobs reach other nodes with");
        broker = InVmBroker.start(dir.resolve("broker"));
        head = new RunnerEventLog(broker.head());
        first = node("host1");
        second = node("host2");
    }

    private NodeRunner node(String hostname) throws Exception {
        return AgentNodes.start(broker, dir, hostname, ProcessTracking.Mode.AUTO, closing);
    }

    @AfterEach
    void stop() throws Exception {
        for (NodeRunner n : List.of(first, second)) {
            send(n, new NodeCommand.KillJob(1, 1, JobState.CANCELLED));
            send(n, new NodeCommand.KillJob(2, 1, JobState.CANCELLED));
            send(n, new NodeCommand.KillJob(3, 1, JobState.CANCELLED));
        }
        for (String pidFile : List.of("rank-1", "rank-2", "rank-3")) {
            Path p = work.resolve(pidFile);
            if (Files.exists(p)) {
                long pid = Long.parseLong(Files.readString(p).strip());
                await("the rank " + pid + " of a test to be gone", Duration.ofSeconds(30),
                        () -> !RemoteCommandIntegrationTest.running(pid));
            }
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
        broker.close();
    }

    private void send(NodeRunner to, NodeCommand command) throws Exception {
        AgentNodes.send(broker, to, command);
    }

    /** Perl holding that many MiB (a string of them, written, so resident) for that long, its pid in rank-ID. */
    private String rank(long id, int mib, int seconds) {
        return "echo \\$\\$ > " + work.resolve("rank-" + id) + "; exec perl -e '\\$x = \\\"a\\\" x (" + mib
                + " * 1024 * 1024); sleep " + seconds + "'";
    }

    /**
     * Places the job on both nodes, as the scheduler does: its script, on the first, holds {@code firstMib} and runs
     * {@code remote} on {@code host} through the agent, then says how the agent ended.
     */
    private void place(long id, String host, String remote, int firstMib) throws Exception {
        String script = "#!/bin/bash\nperl -e '$x = \"a\" x (" + firstMib + " * 1024 * 1024); sleep 2' &\n"
                + AGENT + " " + host + " \"" + remote + "\"\necho \"agent: $?\"\nwait\n";
        JobSpec spec = JobSpec.builder().name("ranks").user("alice").workDir(work.toString()).memoryMb(100L)
                .script(script).build();
        Allocation allocation = new Allocation(List.of(
                new Allocation.NodeSlots(first.nodeId(), "host1", 1, 1, 0, 100),
                new Allocation.NodeSlots(second.nodeId(), "host2", 1, 1, 0, 100)));
        NodeCommand.PlaceJob place = new NodeCommand.PlaceJob(id, 1, spec, allocation, TOKEN);
        // The other node first: a request that overtakes its place-job waits for it, but need not here.
        send(second, place);
        send(first, place);
    }

    private static final Pattern USED = Pattern.compile("used (\\d+) MiB of its 100 MiB memory limit(.*)");

    @Test
    void aRankOverTheRequestOnTheSecondNodeEndsTheJobOutOfMemoryNamingThatNode() throws Exception {
        place(1, "host2", rank(1, 300, 60), 10);
        RunnerEvent.RunnerFinished f = head.finished(1);
        assertEquals(first.nodeId(), f.nodeId(), "the first node reports the attempt's end");
        assertEquals(JobState.OUT_OF_MEMORY, f.killedFor(), String.valueOf(f));
        Matcher used = USED.matcher(String.valueOf(f.error()));
        assertTrue(used.matches(), "error: " + f.error());
        assertTrue(Integer.parseInt(used.group(1)) > 100, f.error());
        assertEquals(" on node host2", used.group(2));
        long rank = Long.parseLong(Files.readString(work.resolve("rank-1")).strip());
        await("the rank on the second node to be killed", Duration.ofSeconds(10),
                () -> !RemoteCommandIntegrationTest.running(rank));
        assertEquals(1, head.events.stream().filter(e -> e instanceof RunnerEvent.RunnerFinished r
                && r.jobId() == 1).count(), "one end per attempt");
    }

    @Test
    void aJobWithinItsRequestOnBothNodesCompletes() throws Exception {
        place(2, "host2", rank(2, 20, 2), 20);
        RunnerEvent.RunnerFinished f = head.finished(2);
        assertNull(f.killedFor(), String.valueOf(f));
        assertNull(f.error());
        assertEquals(0, f.exitCode());
        assertEquals("agent: 0\n", Files.readString(work.resolve("slurm-2.out")));
    }

    @Test
    void aRemoteCommandOnTheFirstNodeCountsWithTheScriptsOwnProcesses() throws Exception {
        // As srun's tasks run there: through the node's exec service, not under the script.
        place(3, "host1", rank(3, 300, 60), 10);
        RunnerEvent.RunnerFinished f = head.finished(3);
        assertEquals(JobState.OUT_OF_MEMORY, f.killedFor(), String.valueOf(f));
        Matcher used = USED.matcher(String.valueOf(f.error()));
        assertTrue(used.matches() && used.group(2).isEmpty(), "error: " + f.error());
    }
}
