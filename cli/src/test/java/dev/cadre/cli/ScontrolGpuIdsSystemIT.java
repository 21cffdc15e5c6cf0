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
 * keep theirs and the next job gets a free one.
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
