package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * GPUs bound to jobs through bin/cadre, on a head and a node declared with four GPUs (no nvidia-smi here): each job's
 * CUDA_VISIBLE_DEVICES names GPUs of its own, none for a job without GPUs, and scontrol -d show job's per-node line
 * names them as Slurm's GRES=gpu:N(IDX:...). After a kill -9 of the node-runner and its restart, the jobs it adopted
 * keep theirs and the next job gets a free one. Typed GPUs likewise, by type.
 */
class ScontrolGpuIdsSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void eachJobIsToldItsGpusAndScontrolShowsTheirIndexesAlsoAfterAKill9OfTheNode() throws Exception {
        Path base = Files.createTempDirectory("cadre-server-ScontrolGpuIdsSystemIT");
        CadreProcess cadre = new CadreProcess(base);
        Process node = null;
        try {
            cadre.startHead("server");
            node = cadre.startNode(base.resolve("node1"), "gpuh1", List.of(), "--gpus", "4", "--cores", "4");
            long a = cadre.sbatch("--gpus", "1", "--wrap", seeing(base, "a"));
            assertEquals("0", seen(base, "a"));
            long b = cadre.sbatch("--gpus", "1", "--wrap", seeing(base, "b"));
            assertEquals("1", seen(base, "b"));
            long c = cadre.sbatch("--gpus", "2", "--wrap", seeing(base, "c"));
            assertEquals("2,3", seen(base, "c"));
            long d = cadre.sbatch("--wrap", seeing(base, "d"));
            assertEquals("unset", seen(base, "d"));

            assertShown(cadre, a, "GRES=gpu:1(IDX:0)");
            assertShown(cadre, c, "GRES=gpu:2(IDX:2-3)");
            assertShown(cadre, d, "GRES=");
            String all = cadre.ok("scontrol", "-d", "show", "job", "" + b).out();
            assertTrue(all.contains("\n   JOB_GRES=gpu:1\n     Nodes=gpuh1 CPU_IDs= Mem=0 GRES=gpu:1(IDX:1)\n"), all);

            cadre.ok("scancel", "" + c, "" + d);
            cadre.awaitState(c, "CANCELLED", WAIT);
            cadre.awaitState(d, "CANCELLED", WAIT);
            node.destroyForcibly();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node-runner did not die");
            node = cadre.startNode(base.resolve("node1"), "gpuh1", List.of(), "--gpus", "4", "--cores", "4");
            assertEquals("RUNNING", cadre.state(a), "adopted by the restarted node");
            long e = cadre.sbatch("--gpus", "1", "--wrap", seeing(base, "e"));
            assertEquals("2", seen(base, "e"), "not the GPUs the adopted jobs hold");
            assertShown(cadre, e, "GRES=gpu:1(IDX:2)");
            assertShown(cadre, a, "GRES=gpu:1(IDX:0)");
            cadre.ok("scancel", "" + a, "" + b, "" + e);
            cadre.awaitState(e, "CANCELLED", WAIT);
        } finally {
            if (node != null) {
                node.destroy();
                node.waitFor(30, TimeUnit.SECONDS);
            }
            cadre.close();
            CadreProcess.deleteTree(base);
        }
    }

    /**
     * Typed GPUs, on 'cadre up --gpus a100:2,v100:1 --cores 4' (GPUs 0 and 1 a100, 2 v100): jobs asking for a type in
     * each of sbatch's spellings get GPUs of it, one asking for none the first free of any; scontrol show node,
     * sinfo's %G and scontrol -d show job name the types as Slurm does; a type no node has is refused at submission,
     * naming the types there are.
     */
    @Test
    void typedJobsGetGpusOfTheirTypeAndTheCommandsNameTheTypes() throws Exception {
        Path base = Files.createTempDirectory("cadre-up-TypedGpuSystemIT");
        CadreProcess cadre = new CadreProcess(base);
        try {
            cadre.up("--gpus", "a100:2,v100:1", "--cores", "4");
            CadreProcess.await("the local node's GPU types", WAIT, () -> output(cadre, "scontrol", "show", "node")
                    .contains("Gres=gpu:a100:2,gpu:v100:1"));
            assertEquals("gpu:a100:2,gpu:v100:1", cadre.ok("sinfo", "-h", "-o", "%G").out().strip());

            long v100 = cadre.sbatch("--gres", "gpu:v100:1", "--wrap", seeing(base, "v100"));
            assertEquals("2", seen(base, "v100"), "the v100, not the lowest free GPU");
            long a100 = cadre.sbatch("--gpus", "a100:1", "--wrap", seeing(base, "a100"));
            assertEquals("0", seen(base, "a100"));
            long any = cadre.sbatch("--gpus-per-node", "1", "--wrap", seeing(base, "any"));
            assertEquals("1", seen(base, "any"), "no type asked: the free a100");
            long more = cadre.sbatch("--gpus-per-node=a100:1", "--wrap", seeing(base, "more"));
            CadreProcess.await("job " + more + " waiting for an a100", WAIT, () -> output(cadre, "squeue", "-h", "-j",
                    "" + more, "-o", "%T %r").strip().equals("PENDING Resources"));

            assertTypedShown(cadre, v100, "JOB_GRES=gpu:v100:1", "GRES=gpu:v100:1(IDX:2)");
            assertTypedShown(cadre, a100, "JOB_GRES=gpu:a100:1", "GRES=gpu:a100:1(IDX:0)");
            assertTypedShown(cadre, any, "JOB_GRES=gpu:a100:1", "GRES=gpu:a100:1(IDX:1)");

            CadreCommands.Result refused = cadre.run("sbatch", "--gpus", "h100:1", "--wrap", "true");
            assertEquals(1, refused.exit(), refused.err());
            assertTrue(refused.err().contains("asks for h100 GPUs; no node has any (the nodes' GPU types: [a100,"
                    + " v100])"), refused.err());

            cadre.ok("scancel", "" + a100);
            assertEquals("0", seen(base, "more"), "the a100 job 2 held");
            cadre.ok("scancel", "" + v100, "" + any, "" + more);
            cadre.awaitState(more, "CANCELLED", WAIT);
        } finally {
            cadre.close();
            CadreProcess.deleteTree(base);
        }
    }

    /** scontrol -d show job's JOB_GRES line is {@code jobGres} and its node's line ends in {@code gres}. */
    private static void assertTypedShown(CadreProcess cadre, long id, String jobGres, String gres) throws Exception {
        CadreProcess.await("job " + id + "'s " + gres, WAIT, () -> {
            String shown = output(cadre, "scontrol", "-d", "show", "job", "" + id);
            return shown.contains("\n   " + jobGres + "\n") && shown.lines().anyMatch(l -> l.startsWith("     Nodes=")
                    && l.endsWith(" " + gres));
        });
    }

    /** What a command prints when it succeeds; nothing when it fails. */
    private static String output(CadreProcess cadre, String name, String... args) {
        try {
            return cadre.ok(name, args).out();
        } catch (Exception | AssertionError e) {
            return "";
        }
    }

    private static void assertShown(CadreProcess cadre, long id, String gres) throws Exception {
        CadreProcess.await("job " + id + "'s " + gres, WAIT, () -> nodesLineOrNone(cadre, id)
                .equals("Nodes=gpuh1 CPU_IDs= Mem=0 " + gres));
    }

    /** A job that writes its CUDA_VISIBLE_DEVICES ("unset" when it has none) to gpus-NAME, then waits. */
    private static String seeing(Path base, String name) {
        Path seen = base.resolve("gpus-" + name);
        return "echo ${CUDA_VISIBLE_DEVICES-unset} > " + seen + ".tmp; mv " + seen + ".tmp " + seen + "; sleep 600";
    }

    private static String seen(Path base, String name) throws Exception {
        Path seen = base.resolve("gpus-" + name);
        CadreProcess.await(seen + " to be written", WAIT, () -> Files.exists(seen));
        return Files.readString(seen).strip();
    }

    private static String nodesLineOrNone(CadreProcess cadre, long id) {
        try {
            String shown = cadre.ok("scontrol", "-d", "show", "job", "" + id).out();
            return shown.lines().filter(l -> l.startsWith("     Nodes=")).map(String::strip).findFirst().orElse("");
        } catch (Exception | AssertionError e) {
            return "";
        }
    }
}
