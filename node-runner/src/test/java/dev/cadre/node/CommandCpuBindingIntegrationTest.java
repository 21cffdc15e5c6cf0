package dev.cadre.node;

import static dev.cadre.node.SupervisedJobs.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.CpuList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    /** What a command or script writes: nproc's count, then its Cpus_allowed_list. */
    private static final String SEE = "nproc; grep Cpus_allowed_list /proc/self/status | cut -f2";
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private SortedSet<Integer> machine;
    private ProbedNode node;

    @BeforeEach
    void start() throws Exception {
        machine = BoundCpus.cpusOf("self").orElseThrow();
        assumeTrue(machine.size() >= 2, "the test JVM may run on " + machine + " alone");
        node = new ProbedNode(dir, work);
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private void startRunner(CpuChoice.Mode binding) throws Exception {
        node.startRunner(new NodeResources(2, 1024, 0, List.of("127.0.0.1")), Duration.ofSeconds(30), binding);
    }

    /** Job {@code id}, with one CPU here; its script writes what it sees, then waits for "go" or "go-ID". */
    private void place(long id, boolean coordinatedHere) throws Exception {
        node.place(id, 0, coordinatedHere, SEE, Map.of());
    }

    /** What job {@code id}'s script saw. */
    private List<String> scriptSaw(long id) throws Exception {
        return node.scriptSaw(id);
    }

    /** What a remote command of job {@code id} sees, run here as an agent would ask. */
    private List<String> commandSees(long id, String requestId) throws Exception {
        return node.commandSees(id, requestId, SEE);
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
        node.stopRunner();
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
