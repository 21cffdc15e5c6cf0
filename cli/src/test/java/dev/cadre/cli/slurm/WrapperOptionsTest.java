package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Options that workflow tools and site templates generate (review 95): Snakemake's --clusters and GPU options,
 * submitit's --wckey and --gpus-per-node, --hint and friends, --mem=0, --mem-per-cpu as the job sees it,
 * --export=NONE, srun's --exact and the real srun options Cadre refuses.
 */
class WrapperOptionsTest extends SbatchFixture {
    private static final String ELSEWHERE = "'elsewhere' can't be reached now, or it is an invalid entry for"
            + " --cluster.  Use 'sacctmgr list clusters' to see available clusters.";

    @Test
    void clustersAllOrThisClusterAreIgnoredAndOthersRefusedAsSlurmDoes() throws Exception {
        Map<String, String> inJob = Map.of("SLURM_CLUSTER_NAME", "prod");
        for (String all : List.of("all", "ALL", "cadre", "all,cadre")) {
            assertNull(SlurmClusters.refusal(all, Map.of()), all);
        }
        assertNull(SlurmClusters.refusal("prod", inJob));
        assertEquals(ELSEWHERE, SlurmClusters.refusal("elsewhere", inJob));
        assertEquals("'prod,elsewhere' can't be reached now, or it is an invalid entry for --cluster.  Use"
                + " 'sacctmgr list clusters' to see available clusters.", SlurmClusters.refusal("prod,elsewhere", inJob));

        Clock clock = CLOCK;
        assertTrue(SacctOptions.parse(List.of("-X", "--parsable2", "--clusters", "all", "--noheader",
                "--format=JobIdRaw,State", "--name", "u1"), "alice", clock, Map.of()).header() == false);
        assertEquals("sacct: error: " + ELSEWHERE, assertThrows(SlurmUsageException.class,
                () -> SacctOptions.parse(List.of("-M", "elsewhere"), "alice", clock, Map.of())).getMessage());
        assertNull(SqueueOptions.parse(List.of("-M", "all", "-h"), Map.of(), "alice").help());
        assertEquals("squeue: error: " + ELSEWHERE, assertThrows(SlurmUsageException.class,
                () -> SqueueOptions.parse(List.of("--clusters=elsewhere"), Map.of(), "alice")).getMessage());
        assertEquals(1, ScancelOptions.parse(List.of("--clusters=all", "12"), "alice", Map.of()).jobs().size());
        assertEquals("scancel: error: " + ELSEWHERE, assertThrows(SlurmUsageException.class,
                () -> ScancelOptions.parse(List.of("-M", "elsewhere", "12"), "alice", Map.of())).getMessage());
        assertNull(SinfoOptions.parse(List.of("-M", "cadre"), Map.of()).help());
        assertNull(spec("-M", "all", "job.sh").exclusive());
        assertEquals(ELSEWHERE, error("--clusters=elsewhere", "job.sh"));
    }

    @Test
    void wckeyHintAndCoreLayoutAreAcceptedWithAWarning() throws Exception {
        SbatchRequest r = parse("--wckey=submitit", "--hint=nomultithread", "--ntasks-per-core=1",
                "--threads-per-core=1", "job.sh");
        assertEquals(List.of("sbatch: warning: --wckey is ignored: Cadre keeps no accounting",
                "sbatch: warning: --hint is ignored: Cadre does no CPU binding",
                "sbatch: warning: --ntasks-per-core is ignored: Cadre does no CPU binding",
                "sbatch: warning: --threads-per-core is ignored: Cadre does no CPU binding"), r.warnings());
    }

    @Test
    void gpusPerNodeIsGresGpu() throws Exception {
        assertEquals(2, spec("--gpus-per-node=2", "job.sh").gpusPerTask());
        assertEquals(1, spec("--gpus-per-node=a100:4", "--ntasks-per-node=4", "-N", "2", "job.sh").gpusPerTask());
        assertEquals(0, spec("--gpus-per-node=0", "job.sh").gpusPerTask(), "submitit's default");
        assertEquals("--gpus-per-node=3: 3 GPU(s) cannot be shared evenly by the 2 task(s) on each node; Cadre"
                + " gives each task whole GPUs (use --gpus-per-task)", error("--gpus-per-node=3", "-n", "2", "job.sh"));
    }

    @Test
    void snakemakesGpuJobGetsATaskAGpuAndItsCpusPerGpu() throws Exception {
        JobSpec s = spec("--gpus=2", "--ntasks-per-gpu=1", "--cpus-per-gpu=4", "job.sh");
        assertEquals(2, s.tasks());
        assertEquals(1, s.gpusPerTask());
        assertEquals(4, s.cpusPerTask());
        JobSpec perNode = spec("--gres=gpu:2", "-N", "2", "--ntasks-per-gpu=1", "job.sh");
        assertEquals(4, perNode.tasks());
        assertEquals(1, perNode.gpusPerTask());
        assertEquals(6, spec("--gpus-per-task=2", "--cpus-per-gpu=3", "job.sh").cpusPerTask());
        JobSpec fromTasks = spec("-n", "3", "--ntasks-per-gpu=1", "job.sh");
        assertEquals(3, fromTasks.tasks());
        assertEquals(1, fromTasks.gpusPerTask());
        assertEquals("--ntasks-per-gpu=2: 2 tasks cannot share one GPU; Cadre gives each task whole GPUs (use"
                + " --ntasks-per-gpu=1 or --gpus-per-task)", error("--gpus=2", "--ntasks-per-gpu=2", "job.sh"));
        assertEquals("--ntasks-per-gpu=1 with --gpus=2 makes 2 task(s), not the 3 --ntasks asks for",
                error("--gpus=2", "-n", "3", "--ntasks-per-gpu=1", "job.sh"));
        assertEquals("--cpus-per-gpu is mutually exclusive with --cpus-per-task",
                error("--gpus=1", "-c", "2", "--cpus-per-gpu=2", "job.sh"));
        assertEquals("--cpus-per-gpu=2 needs GPUs: give --gpus, --gpus-per-node, --gpus-per-task or --gres=gpu:N",
                error("--cpus-per-gpu=2", "job.sh"));
    }

    @Test
    void memZeroIsAllOfEachNodesMemoryAndBadSizesAreSlurmsErrors() throws Exception {
        JobSpec whole = spec("--mem=0", "job.sh");
        assertNull(whole.memoryMb(), "never sent as 0");
        assertEquals(Boolean.TRUE, whole.exclusive());
        assertEquals("Invalid --mem specification", error("--mem=lots", "job.sh"));
        assertEquals("Memory specification can not be satisfied\n"
                + "Batch job submission failed: Requested node configuration is not available",
                error("--mem=2000000T", "job.sh"));
        assertEquals("Memory specification can not be satisfied\n"
                + "Batch job submission failed: Requested node configuration is not available",
                error("--mem-per-cpu=1000000T", "-c", "4", "job.sh"));
    }

    @Test
    void memPerCpuReachesTheJobAsSlurmMemPerCpu() throws Exception {
        Map<String, String> env = spec("--mem-per-cpu=100M", "-c", "3", "job.sh").environment();
        assertEquals("100", env.get("SLURM_MEM_PER_CPU"));
        assertFalse(env.containsKey("SLURM_MEM_PER_NODE"));
        assertFalse(spec("--mem=1G", "job.sh").environment().containsKey("SLURM_MEM_PER_CPU"));
    }

    @Test
    void exportNoneKeepsTheSubmittersSlurmVariablesAndCadresClientFile() throws Exception {
        Map<String, String> submitter = Map.of("PATH", "/usr/bin", "SLURM_CONF", "/etc/slurm.conf",
                "CADRE_CONFIG", "/srv/cadre/client.json", "CADRE_HOME", "/srv/cadre", "OTHER", "x");
        Map<String, String> env = SbatchCommandLine.parse(List.of("--export=NONE", "job.sh"), path -> PLAIN,
                submitter, CWD, "alice", "login1", CLOCK).spec().environment();
        assertEquals("/etc/slurm.conf", env.get("SLURM_CONF"));
        assertEquals("/srv/cadre/client.json", env.get("CADRE_CONFIG"));
        assertEquals("/srv/cadre", env.get("CADRE_HOME"));
        assertFalse(env.containsKey("PATH"));
        assertFalse(env.containsKey("OTHER"));
        Map<String, String> listed = SbatchCommandLine.parse(List.of("--export=OTHER,A=1", "job.sh"), path -> PLAIN,
                submitter, CWD, "alice", "login1", CLOCK).spec().environment();
        assertEquals("/srv/cadre/client.json", listed.get("CADRE_CONFIG"));
        assertEquals("x", listed.get("OTHER"));
    }

    @Test
    void theScriptsPathTravelsForScontrolAndIsNeverInherited() throws Exception {
        assertEquals(CWD + "/job.sh", spec("job.sh").environment().get(SbatchCommandLine.SCRIPT_PATH_VARIABLE));
        Map<String, String> parent = Map.of(SbatchCommandLine.SCRIPT_PATH_VARIABLE, "/parent.sh");
        assertNull(SbatchCommandLine.parse(List.of("--wrap", "true"), path -> PLAIN, parent, CWD, "alice",
                "login1", CLOCK).spec().environment().get(SbatchCommandLine.SCRIPT_PATH_VARIABLE));
    }

    @Test
    void srunTakesExactAndCoreLayoutAndSaysNotSupportedForRealSrunOptions() throws Exception {
        Map<String, String> inJob = Map.of("SLURM_JOB_ID", "5", "SLURM_NTASKS", "2");
        SrunOptions exact = SrunOptions.parse(List.of("--exact", "-n1", "true"), inJob);
        assertEquals(1, exact.tasks());
        assertEquals(List.of(), exact.notes());
        assertEquals(List.of("srun: warning: --hint is ignored in Cadre",
                "srun: warning: --threads-per-core is ignored in Cadre"), SrunOptions.parse(List.of(
                "--hint=nomultithread", "--threads-per-core=1", "--cpu_bind=cores", "-M", "all", "true"), inJob)
                .notes());
        assertEquals("srun: error: --no-kill is not supported by this Cadre version", assertThrows(
                SlurmUsageException.class, () -> SrunOptions.parse(List.of("--no-kill", "true"), inJob)).getMessage());
        assertEquals("srun: error: --propagate is not supported by this Cadre version", assertThrows(
                SlurmUsageException.class, () -> SrunOptions.parse(List.of("--propagate=ALL", "true"), inJob))
                .getMessage());
        assertEquals("srun: error: " + ELSEWHERE, assertThrows(SlurmUsageException.class,
                () -> SrunOptions.parse(List.of("-M", "elsewhere", "true"), inJob)).getMessage());
        assertEquals(List.of("--gpus-per-node=2"), SrunOptions.parse(List.of("--gpus-per-node=2", "true"), Map.of())
                .allocation());
    }
}
