package dev.cadre.node;

import static dev.cadre.node.SupervisedJobs.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.CpuList;
import dev.cadre.protocol.ExecMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote commands (srun steps, MPI ranks) bound to their attempt's CPUs, on a real broker and this machine's real
 * CPUs, a node declaring two cores: on the node that runs the script, the script's CPUs; on a node holding part of
 * another node's job, CPUs chosen as it takes the attempt, which a batch job placed later does not get, also after a
 * restart of the node-runner. With binding off, commands run on every CPU. The tasks of an srun step, each run as
 * srun asks (a request naming its task): tasks that fill their job's CPUs each get CPUs of their own, --cpu-bind=none
 * leaves each on all of them, --cpu-bind=verbose writes Slurm's line, and per_task:1 (--gpus-per-task=1) gives each
 * task a GPU of its own on a node declaring four. Needs two CPUs at least.
 */
class CommandCpuBindingIntegrationTest {
    /** What a command or script writes: nproc's count, then its Cpus_allowed_list. */
    private static final String SEE = "nproc; grep Cpus_allowed_list /proc/self/status | cut -f2";
    /** What a task of a step writes: its Cpus_allowed_list, then its CUDA_VISIBLE_DEVICES and SLURM_CPU_BIND. */
    private static final String STEP_SEE = "grep Cpus_allowed_list /proc/self/status | cut -f2;"
            + " echo \"gpus=${CUDA_VISIBLE_DEVICES-unset} bind=${SLURM_CPU_BIND-unset}\"";
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

    /** As many tasks as the machine's CPUs, up to four: the node declares that many cores, and binds. */
    private int tasks() {
        return Math.min(4, machine.size());
    }

    /** A node binding on as many cores as {@link #tasks}, declaring {@code gpus} GPUs. */
    private void startStepRunner(int gpus) throws Exception {
        node.startRunner(new NodeResources(tasks(), 1024, gpus, List.of("127.0.0.1")), Duration.ofSeconds(30),
                CpuChoice.Mode.CORES);
    }

    private static ExecMessage.StepTask task(int local, int tasks, String cpuBind, String gpuBind) {
        return new ExecMessage.StepTask(local, tasks, local, null, null, cpuBind, gpuBind);
    }

    /** What each of the step's tasks wrote, in task order, each as it ran: all at once, as srun starts them. */
    private List<CollectedOutput> runStep(long id, String cpuBind, String gpuBind) throws Exception {
        List<CollectedOutput> outputs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < tasks(); t++) {
            CollectedOutput output = new CollectedOutput();
            outputs.add(output);
            ExecMessage.StepTask task = task(t, tasks(), cpuBind, gpuBind);
            Thread thread = new Thread(() -> {
                try {
                    ExecClient.Outcome outcome = node.runTask(id, "s" + id + "-" + task.localId(), STEP_SEE, task,
                            output);
                    assertEquals(0, outcome.exitCode(), outcome.failure() + " " + output.stderr());
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
        }
        assertEquals(List.of(), failures);
        return outputs;
    }

    private static String cpusOf(CollectedOutput output) {
        return output.stdout().split("\n")[0];
    }

    @Test
    void tasksThatFillTheirJobsCpusEachRunOnTheirOwn() throws Exception {
        startStepRunner(0);
        node.place(1, tasks(), 0, true, "grep Cpus_allowed_list /proc/self/status | cut -f2", Map.of());
        List<Integer> jobCpus = new ArrayList<>(CpuList.parse(node.scriptSaw(1).get(0)));
        assertEquals(tasks(), jobCpus.size());
        List<CollectedOutput> seen = runStep(1, null, null);
        List<String> masks = new ArrayList<>();
        for (int t = 0; t < tasks(); t++) {
            assertEquals(Integer.toString(jobCpus.get(t)), cpusOf(seen.get(t)), "task " + t + "'s CPU");
            masks.add("0x" + Integer.toHexString(1 << jobCpus.get(t)));
        }
        assertEquals(tasks(), new HashSet<>(seen.stream().map(CommandCpuBindingIntegrationTest::cpusOf).toList())
                .size(), "each task its own CPU");
        assertTrue(seen.get(0).stdout().contains("bind=quiet,mask_cpu:" + String.join(",", masks)),
                seen.get(0).stdout());
    }

    @Test
    void cpuBindNoneLeavesEveryTaskOnAllOfItsJobsCpus() throws Exception {
        startStepRunner(0);
        node.place(1, tasks(), 0, true, "grep Cpus_allowed_list /proc/self/status | cut -f2", Map.of());
        String jobCpus = node.scriptSaw(1).get(0);
        for (CollectedOutput task : runStep(1, "none", null)) {
            assertEquals(jobCpus, cpusOf(task));
            assertTrue(task.stdout().contains("bind=quiet,none"), task.stdout());
        }
    }

    @Test
    void verboseSaysEachTasksMaskOnItsStderrAsSlurmDoes() throws Exception {
        startStepRunner(0);
        node.place(1, tasks(), 0, true, "grep Cpus_allowed_list /proc/self/status | cut -f2", Map.of());
        List<Integer> jobCpus = new ArrayList<>(CpuList.parse(node.scriptSaw(1).get(0)));
        List<CollectedOutput> seen = runStep(1, "verbose", null);
        for (int t = 0; t < tasks(); t++) {
            String line = seen.get(t).stderr().strip();
            String expected = String.format("cpu-bind=MASK - host1, task %2d %2d \\[\\d+\\]: mask 0x%s set", t, t,
                    Integer.toHexString(1 << jobCpus.get(t)));
            assertTrue(line.matches(expected), line + " is not " + expected);
        }
    }

    @Test
    void eachTaskOfAStepWithOneGpuPerTaskSeesAGpuOfItsOwn() throws Exception {
        startStepRunner(4);
        node.place(1, tasks(), 4, true, "echo $CUDA_VISIBLE_DEVICES", Map.of());
        assertEquals(List.of("0,1,2,3"), node.scriptSaw(1));
        List<CollectedOutput> seen = runStep(1, null, "per_task:1");
        List<String> gpus = new ArrayList<>();
        for (CollectedOutput task : seen) {
            gpus.add(task.stdout().split("\n")[1].split(" ")[0]);
        }
        List<String> expected = new ArrayList<>();
        for (int t = 0; t < tasks(); t++) {
            expected.add("gpus=" + t);
        }
        assertEquals(expected, gpus);
        assertEquals(new TreeSet<>(expected), new TreeSet<>(gpus));
    }
}
