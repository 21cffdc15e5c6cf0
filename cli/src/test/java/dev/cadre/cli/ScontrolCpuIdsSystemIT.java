package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cadre.protocol.CpuIdList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * scontrol -d show job through bin/cadre on a node that binds its jobs (cadre up --cores 2 on a machine of two CPUs,
 * as CpuBindingIntegrationTest assumes): each job's per-node line names the CPU its script sees, two jobs different
 * ones; without -d there is none; a job requeued and started again shows its new attempt's CPU; a kill -9 of the
 * whole head and node leaves the adopted job showing the same.
 */
class ScontrolCpuIdsSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void eachJobShowsTheCpusItRunsOnAndARequeuedOneItsNewOnes() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() == 2, "a node of --cores 2 binds on two CPUs only");
        Path base = Files.createTempDirectory("cadre-up-ScontrolCpuIdsSystemIT");
        CadreProcess cadre = new CadreProcess(base);
        try {
            cadre.up("--cores", "2");
            long a = cadre.sbatch("--wrap", seeing(base, "a"));
            cadre.awaitState(a, "RUNNING", WAIT);
            String aSees = seen(base, "a");
            long b = cadre.sbatch("--wrap", seeing(base, "b"));
            cadre.awaitState(b, "RUNNING", WAIT);
            String bSees = seen(base, "b");
            assertFalse(aSees.equals(bSees), "two 1-CPU jobs on different CPUs: " + aSees + " and " + bSees);

            String host = cadre.ok("scontrol", "show", "job", "" + a).out().lines().map(String::strip)
                    .filter(l -> l.startsWith("BatchHost=")).findFirst().orElseThrow().substring(10);
            assertEquals("Nodes=" + host + " CPU_IDs=" + aSees + " Mem=0 GRES=", nodesLine(cadre, a));
            assertEquals("Nodes=" + host + " CPU_IDs=" + bSees + " Mem=0 GRES=", nodesLine(cadre, b));
            String plain = cadre.ok("scontrol", "show", "job", "" + a).out();
            assertFalse(plain.contains("CPU_IDs"), "only with -d: " + plain);
            String all = cadre.ok("scontrol", "-d", "show", "job").out();
            assertEquals(2, all.lines().filter(l -> l.startsWith("     Nodes=")).count(), all);

            // b goes back to the queue held, a ends: b's next attempt takes the CPU a had.
            cadre.ok("scontrol", "requeuehold", "" + b);
            cadre.awaitState(b, "PENDING", WAIT);
            Files.delete(base.resolve("cpus-b"));
            cadre.ok("scancel", "" + a);
            cadre.awaitState(a, "CANCELLED", WAIT);
            cadre.ok("scontrol", "release", "" + b);
            cadre.awaitState(b, "RUNNING", WAIT);
            assertEquals(aSees, seen(base, "b"), "b's second attempt on the CPU a left");
            CadreProcess.await("b's second attempt's CPU shown", WAIT, () -> nodesLineOrNone(cadre, b)
                    .equals("Nodes=" + host + " CPU_IDs=" + aSees + " Mem=0 GRES="));
            assertEquals("Nodes=" + host + " CPU_IDs=" + aSees + " Mem=0 GRES=", nodesLine(cadre, a),
                    "an ended job keeps its last attempt's, as Slurm until it purges the job");

            cadre.kill9();
            cadre.up("--cores", "2");
            assertEquals("RUNNING", cadre.state(b), "adopted by the restarted node");
            assertEquals("Nodes=" + host + " CPU_IDs=" + aSees + " Mem=0 GRES=", nodesLine(cadre, b));
            cadre.ok("scancel", "" + b);
            cadre.awaitState(b, "CANCELLED", WAIT);
        } finally {
            cadre.close();
            CadreProcess.deleteTree(base);
        }
    }

    /**
     * A job on two nodes (two node-runners on this machine, each binding on its two CPUs): the coordinator's CPU comes
     * with its start, the other node's, chosen for the job's remote commands as it took its share, with its
     * heartbeats; the same CPU on both shows as one line of both nodes, as Slurm groups them.
     */
    @Test
    void aJobOnTwoNodesShowsTheCpusEachNodeGaveIt() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() == 2, "a node of two cores binds on two CPUs only");
        Path base = Files.createTempDirectory("cadre-server-ScontrolCpuIdsSystemIT");
        CadreProcess cadre = new CadreProcess(base);
        try {
            cadre.startHead("server");
            cadre.startNode(base.resolve("node1"), "cpuh1");
            cadre.startNode(base.resolve("node2"), "cpuh2");
            long wide = cadre.sbatch("-N", "2", "-n", "2", "--wrap", "sleep 600");
            cadre.awaitState(wide, "RUNNING", WAIT);
            // Each node chooses the lowest CPU it may run on, which it inherits from here.
            String cpu = Integer.toString(lowestCpuOfThisProcess());
            CadreProcess.await("both nodes' CPUs shown", WAIT, () -> nodesLineOrNone(cadre, wide)
                    .equals("Nodes=cpuh[1-2] CPU_IDs=" + cpu + " Mem=0 GRES="));
            cadre.ok("scancel", "" + wide);
            cadre.awaitState(wide, "CANCELLED", WAIT);
        } finally {
            cadre.close();
            CadreProcess.deleteTree(base);
        }
    }

    private static int lowestCpuOfThisProcess() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                .map(l -> CpuIdList.parse(l.substring("Cpus_allowed_list:".length())).first()).findFirst()
                .orElseThrow();
    }

    /** A job that writes the CPUs it may run on to cpus-NAME, then waits to be cancelled. */
    private static String seeing(Path base, String name) {
        Path seen = base.resolve("cpus-" + name);
        return "grep Cpus_allowed_list /proc/self/status | cut -f2 > " + seen + ".tmp; mv " + seen + ".tmp " + seen
                + "; sleep 600";
    }

    private static String seen(Path base, String name) throws Exception {
        Path seen = base.resolve("cpus-" + name);
        CadreProcess.await(seen + " to be written", WAIT, () -> Files.exists(seen));
        return Files.readString(seen).strip();
    }

    private static String nodesLine(CadreProcess cadre, long id) throws Exception {
        String shown = cadre.ok("scontrol", "-d", "show", "job", "" + id).out();
        return shown.lines().filter(l -> l.startsWith("     Nodes=")).map(String::strip).findFirst().orElse(shown);
    }

    private static String nodesLineOrNone(CadreProcess cadre, long id) {
        try {
            return nodesLine(cadre, id);
        } catch (Exception e) {
            return "";
        }
    }
}
