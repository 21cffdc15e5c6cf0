package dev.cadre.node;

import static dev.cadre.node.SupervisedJobs.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.NodeGpus;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each job is told the GPUs it was given, on a real broker and a real node-runner declared with four GPUs and four
 * cores (no nvidia-smi here, so indexes 0 to 3 and every vendor's variable): two 1-GPU jobs get different ones, a
 * 2-GPU job two more, a job without GPUs none (its submitter's CUDA_VISIBLE_DEVICES unset); a remote command of a
 * job gets the job's, and one of a job coordinated elsewhere its share here. A restarted runner knows what its
 * adopted jobs and held attempts hold, from their records, so the next job gets a free GPU; the head hears them all.
 * A node declared with typed GPUs ({@code --gpus a100:2,v100:1}) gives each job GPUs of the types the head gave it,
 * and says its types in its heartbeats.
 */
class GpuBindingIntegrationTest {
    /** What a script or command writes: its GPU variables, sorted. */
    private static final String SEE = "env | grep -E '^(CUDA_VISIBLE_DEVICES|ROCR_VISIBLE_DEVICES|ZE_AFFINITY_MASK"
            + "|GPU_DEVICE_ORDINAL|SLURM_JOB_GPUS|SLURM_STEP_GPUS|SLURM_GPUS_ON_NODE)=' | sort";
    /** What a script or command writes of typed GPUs: CUDA_VISIBLE_DEVICES alone. */
    private static final String CUDA = "echo \"$CUDA_VISIBLE_DEVICES\"";
    /** What the job's submitter had set. */
    private static final Map<String, String> SUBMITTED = Map.of("CUDA_VISIBLE_DEVICES", "7", "PATH", "/usr/bin:/bin");
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private ProbedNode node;
    private RunnerEventLog head;

    @BeforeEach
    void start() throws Exception {
        node = new ProbedNode(dir, work);
        head = new RunnerEventLog(node.broker.head());
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    /** Four cores and four GPUs declared (indexes 0 to 3), no CPU binding; heartbeats every 200 ms. */
    private void startRunner() throws Exception {
        node.startRunner(new NodeResources(4, 1024, 4, List.of("127.0.0.1")), Duration.ofMillis(200),
                CpuChoice.Mode.NONE);
    }

    private void place(long id, int gpus, boolean coordinatedHere) throws Exception {
        node.place(id, gpus, coordinatedHere, SEE, SUBMITTED);
    }

    private List<String> scriptSaw(long id) throws Exception {
        return node.scriptSaw(id);
    }

    private List<String> commandSees(long id, String requestId) throws Exception {
        return node.commandSees(id, requestId, SEE);
    }

    /** Every variable a job given {@code gpus} (as "1,3") on this node sees. */
    private static List<String> told(String gpus, String slurmVariable) {
        return Stream.of("CUDA_VISIBLE_DEVICES=" + gpus, "GPU_DEVICE_ORDINAL=" + gpus, "ROCR_VISIBLE_DEVICES=" + gpus,
                slurmVariable + "=" + gpus, "SLURM_GPUS_ON_NODE=" + gpus.split(",").length,
                "ZE_AFFINITY_MASK=" + gpus).sorted().toList();
    }

    private List<Integer> started(long id) throws Exception {
        await("job " + id + "'s runner-running", Duration.ofSeconds(20), () -> head.events.stream().anyMatch(e ->
                e instanceof RunnerEvent.RunnerRunning r && r.jobId() == id));
        return head.events.stream().filter(e -> e instanceof RunnerEvent.RunnerRunning r && r.jobId() == id)
                .map(e -> ((RunnerEvent.RunnerRunning) e).gpus()).findFirst().orElseThrow();
    }

    /** What the node's heartbeats say job {@code id} holds, once one says anything of it. */
    private List<Integer> heartbeatSays(long id) throws Exception {
        await("a heartbeat saying job " + id + "'s GPUs", Duration.ofSeconds(20), () -> said(id) != null);
        return said(id);
    }

    private List<Integer> said(long id) {
        List<RunnerEvent> events = List.copyOf(head.events);
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof RunnerEvent.NodeHeartbeat hb) {
                return hb.cpus().stream().filter(c -> c.jobId() == id).map(RunnerEvent.HeldCpus::gpus)
                        .filter(Objects::nonNull).findFirst().orElse(null);
            }
        }
        return null;
    }

    @Test
    void eachJobIsToldGpusOfItsOwnAndAJobWithoutGpusNone() throws Exception {
        startRunner();
        place(1, 1, true);
        assertEquals(told("0", "SLURM_JOB_GPUS"), scriptSaw(1));
        place(2, 1, true);
        assertEquals(told("1", "SLURM_JOB_GPUS"), scriptSaw(2), "not job 1's GPU");
        place(3, 2, true);
        assertEquals(told("2,3", "SLURM_JOB_GPUS"), scriptSaw(3));
        place(4, 0, true);
        assertEquals(List.of(), scriptSaw(4), "none, its submitter's CUDA_VISIBLE_DEVICES unset");
        assertEquals(List.of(0), started(1));
        assertEquals(List.of(2, 3), started(3));
        assertEquals(List.of(), started(4));
        assertEquals(List.of(1), heartbeatSays(2));
        assertEquals(told("2,3", "SLURM_STEP_GPUS"), commandSees(3, "r3"), "a step of job 3 gets job 3's GPUs");
        assertEquals(List.of(), commandSees(4, "r4"));
    }

    /**
     * Job 1's script holds GPU 0 and job 2's commands here GPU 1; the restarted runner reads both back from their
     * records (job 1's attempt directory, job 2's held record), so job 3 gets GPU 2; once job 1 has ended, job 4 gets
     * its GPU 0.
     */
    @Test
    void aRestartedRunnerKnowsWhatItsJobsHoldSoTheNextJobGetsAFreeGpu() throws Exception {
        startRunner();
        place(1, 1, true);
        assertEquals(told("0", "SLURM_JOB_GPUS"), scriptSaw(1));
        place(2, 1, false);
        assertEquals(told("1", "SLURM_STEP_GPUS"), commandSees(2, "r2"), "its share here");
        assertEquals(List.of(1), heartbeatSays(2));
        node.stopRunner();
        head.events.clear();
        startRunner();
        assertEquals(List.of(0), heartbeatSays(1), "the adopted job's, read back");
        assertEquals(told("1", "SLURM_STEP_GPUS"), commandSees(2, "r2-again"), "after the restart");
        place(3, 1, true);
        assertEquals(told("2", "SLURM_JOB_GPUS"), scriptSaw(3), "neither the adopted job's GPU nor the held one");
        Files.writeString(work.resolve("go-1"), "");
        Path job1 = dir.resolve("state/jobs/1-1");
        await("job 1's end", Duration.ofSeconds(20), () -> !Files.exists(job1));
        place(4, 1, true);
        assertEquals(told("0", "SLURM_JOB_GPUS"), scriptSaw(4), "job 1's GPU, free again");
    }

    /** Declared {@code --gpus a100:2,v100:1 --cores 4}: GPUs 0 and 1 a100, 2 v100. */
    private void startTypedRunner() throws Exception {
        node.startRunner(new NodeResources(4, 1024, List.of("127.0.0.1"), NodeGpus.declared("a100:2,v100:1")),
                Duration.ofMillis(200), CpuChoice.Mode.NONE);
    }

    /** The CUDA_VISIBLE_DEVICES job {@code id} sees, given GPUs of these types here by the head. */
    private String cudaSees(long id, Map<String, Integer> types, boolean coordinatedHere) throws Exception {
        int gpus = types.values().stream().mapToInt(Integer::intValue).sum();
        node.place(id, gpus, types, coordinatedHere, CUDA, Map.of("PATH", "/usr/bin:/bin"));
        return coordinatedHere ? node.scriptSaw(id).get(0) : node.commandSees(id, "r" + id, CUDA).get(0);
    }

    /** A node declared with typed GPUs gives each job the lowest free of the types the head gave it. */
    @Test
    void eachJobGetsTheLowestFreeGpusOfTheTypesItWasGiven() throws Exception {
        startTypedRunner();
        assertEquals("2", cudaSees(1, Map.of("v100", 1), true), "the v100, not the lowest GPU");
        assertEquals("0", cudaSees(2, Map.of("a100", 1), true));
        assertEquals("1", cudaSees(3, Map.of("a100", 1), false), "a held attempt's share here is of its type too");
        await("a heartbeat with the node's types", Duration.ofSeconds(20), () -> head.events.stream().anyMatch(e ->
                e instanceof RunnerEvent.NodeHeartbeat hb && hb.gpuTypes() != null));
        RunnerEvent.NodeHeartbeat hb = head.events.stream().filter(e -> e instanceof RunnerEvent.NodeHeartbeat)
                .map(RunnerEvent.NodeHeartbeat.class::cast).filter(h -> h.gpuTypes() != null).findFirst()
                .orElseThrow();
        assertEquals(3, hb.gpus());
        assertEquals(Map.of("a100", List.of(0, 1), "v100", List.of(2)), hb.gpuTypes());
        assertEquals(List.of("a100", "v100"), List.copyOf(hb.gpuTypes().keySet()), "in the order of their indexes");
        assertEquals(null, hb.problem());
        assertEquals(List.of(2), started(1));
    }

    @Test
    void aJobOfAHeadFromBeforeTypesGetsTheLowestFreeGpuOfAnyType() throws Exception {
        startTypedRunner();
        assertEquals("0", cudaSees(1, Map.of("a100", 1), true));
        node.place(2, 1, null, true, CUDA, Map.of("PATH", "/usr/bin:/bin"));
        assertEquals("1", node.scriptSaw(2).get(0));
    }
}
