package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.hosts.MpiRing;
import dev.cadre.cli.hosts.NetnsHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Open MPI job over two hosts whose second host's node-runner is restarted while the ranks run, first after a
 * {@code kill -9}, then after a clean stop (SIGTERM), each time well within the node timeout: the restarted
 * node-runner adopts orted and the rank, the agent on the coordinator is not told its command is unknown, and
 * mpirun ends 0.
 */
class MpiNodeRestartIT {
    /** Longer than a runner's answer to an agent it takes for unknown (3 s after the first keepalive). */
    private static final Duration STAYS = Duration.ofSeconds(8);
    @TempDir
    Path base;

    @BeforeAll
    static void needsNamespacesAndMpi() {
        NetnsHosts.assumeAvailable();
        MpiRing.assumeAvailable();
    }

    @Test
    void restartingANonFirstNodesRunnerMidJobLosesNothing() throws Exception {
        try (NetnsCluster cluster = NetnsCluster.start(base, 2, 120)) {
            CadreProcess cadre = cluster.cadre;
            Path ring = MpiRing.compile(base);
            Path go = base.resolve("go");
            Path script = Files.writeString(base.resolve("mpi.sh"), "#!/bin/bash\n" + MpiRing.MPIRUN
                    + "-np 2 bash -c 'while [ ! -f " + go + " ]; do sleep 0.2; done; exec " + ring + "'\n"
                    + "echo mpirun exit $?\n");
            long job = cadre.sbatch("-N", "2", "-n", "2", script.toString());
            cadre.awaitState(job, "RUNNING", Duration.ofSeconds(60));
            CadreProcess.await("a rank on each host", Duration.ofSeconds(30),
                    () -> cluster.processes(c -> c.startsWith("bash -c while")).size() == 2);
            String second = List.of(((String) cluster.job(job).get("nodeList")).split(",")).get(1);
            int index = Integer.parseInt(second.substring(1));

            cluster.hosts.kill(cluster.nodes.get(index).pid());
            cluster.startNode(index, "node-" + second + "-after-kill.log");
            assertStaysRunning(cluster, job, index);

            Process stopping = cluster.nodes.get(index);
            assertTrue(stopping.toHandle().destroy(), "SIGTERM sent");
            assertTrue(stopping.waitFor(60, TimeUnit.SECONDS), "the node-runner stops on SIGTERM");
            assertFalse(cluster.processes(c -> c.contains("orted")).isEmpty(), "orted outlives a clean stop");
            cluster.startNode(index, "node-" + second + "-after-stop.log");
            assertStaysRunning(cluster, job, index);

            Files.writeString(go, "");
            String out = cluster.awaitOutput(job, "COMPLETED", Duration.ofSeconds(60));
            assertTrue(out.contains("token 1 after 2 ranks"), out);
            assertTrue(out.contains("mpirun exit 0\n"), out);
            assertEquals(2, MpiRing.hostsOfRanks(out).size(), out);
        }
    }

    /** The job keeps running, its ranks on both hosts, for {@link #STAYS} after a restart of host i's runner. */
    private static void assertStaysRunning(NetnsCluster cluster, long job, int i) throws Exception {
        long until = System.nanoTime() + STAYS.toNanos();
        try {
            CadreProcess.await("the job to stop running", STAYS, Duration.ofMillis(250), () -> {
                try {
                    return !"RUNNING".equals(cluster.job(job).get("state"))
                            || cluster.processes(c -> c.contains("orted")).isEmpty();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (AssertionError expected) {
            assertTrue(System.nanoTime() - until >= 0, "waited " + STAYS);
            return;
        }
        throw new AssertionError("the job failed after a restart of its second host's runner: "
                + cluster.job(job) + "; " + CadreProcess.read(cluster.nodeLogs.get(i)));
    }
}
