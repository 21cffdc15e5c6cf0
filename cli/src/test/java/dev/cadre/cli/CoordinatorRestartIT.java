package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * An Open MPI job over two hosts whose first host's node-runner, the coordinator whose relay mpirun's cadre-rsh is
 * connected to, is restarted while the ranks run: first after a {@code kill -9}, then after a clean stop (SIGTERM).
 * The agent resumes its run with the restarted runner (protocol.md 13.9) instead of exiting 255, so mpirun does not
 * abort, and the ranks, which start only after both restarts, run to the end: the job ends COMPLETED with every
 * rank's output. Fails without resuming agents: the job's agent exits at the first restart.
 */
class CoordinatorRestartIT {
    @TempDir
    Path base;

    @BeforeAll
    static void needsNamespacesAndMpi() {
        NetnsHosts.assumeAvailable();
        MpiRing.assumeAvailable();
    }

    @Test
    void restartingTheCoordinatorsRunnerMidJobLosesNothing() throws Exception {
        try (NetnsCluster cluster = NetnsCluster.start(base, 2, 120)) {
            Path go = base.resolve("go");
            long job = ringWaitingFor(cluster, go);
            String first = List.of(((String) cluster.job(job).get("nodeList")).split(",")).get(0);
            int index = Integer.parseInt(first.substring(1));
            List<String> agent = agents(cluster);
            assertEquals(1, agent.size(), "mpirun's agent for the second host: " + agent);

            cluster.hosts.kill(cluster.nodes.get(index).pid());
            cluster.startNode(index, "node-" + first + "-after-kill.log");
            awaitResumed(cluster, job, index, agent);

            Process stopping = cluster.nodes.get(index);
            assertTrue(stopping.toHandle().destroy(), "SIGTERM sent");
            assertTrue(stopping.waitFor(60, TimeUnit.SECONDS), "the node-runner stops on SIGTERM");
            cluster.startNode(index, "node-" + first + "-after-stop.log");
            awaitResumed(cluster, job, index, agent);

            Files.writeString(go, "");
            String out = cluster.awaitOutput(job, "COMPLETED", Duration.ofSeconds(90));
            assertTrue(out.contains("token 1 after 2 ranks"), out);
            for (int rank = 0; rank < 2; rank++) {
                assertTrue(out.contains("rank " + rank + " of 2 on "), "rank " + rank + ": " + out);
            }
            assertTrue(out.contains("mpirun exit 0\n"), out);
            assertEquals(2, MpiRing.hostsOfRanks(out).size(), out);
        }
    }

    /** Submits a two-host ring whose ranks start once {@code go} exists, and waits until both wait for it. */
    private long ringWaitingFor(NetnsCluster cluster, Path go) throws Exception {
        Path ring = MpiRing.compile(base);
        Path script = Files.writeString(base.resolve("ring.sh"), "#!/bin/bash\n" + MpiRing.MPIRUN + "-np 2 bash -c"
                + " 'until [ -f " + go + " ]; do sleep 0.2; done; exec " + ring + "'\necho mpirun exit $?\n");
        long job = cluster.cadre.sbatch("-N", "2", "-n", "2", script.toString());
        cluster.cadre.awaitState(job, "RUNNING", Duration.ofSeconds(60));
        CadreProcess.await("both ranks waiting", Duration.ofSeconds(30),
                () -> cluster.processes(c -> c.startsWith("bash -c until")).size() == 2);
        return job;
    }

    /** mpirun's agents, on the first host: one per other host. */
    private static List<String> agents(NetnsCluster cluster) {
        return cluster.processes(c -> c.contains("perl") && c.contains("bin/cadre-rsh h"));
    }

    /**
     * The restarted runner of host i took the agent's run up: the agent it had before the restart is still there
     * (it would have exited 255 at the restart without resuming), and so are the job and orted.
     */
    private static void awaitResumed(NetnsCluster cluster, long job, int i, List<String> agent) throws Exception {
        Path log = cluster.nodeLogs.get(i);
        CadreProcess.await("the agent to resume its run with the restarted runner", Duration.ofSeconds(30),
                () -> CadreProcess.read(log).contains("resumed by its agent"));
        assertEquals(agent, agents(cluster), CadreProcess.read(log));
        assertEquals("RUNNING", cluster.job(job).get("state"));
        assertEquals(1, cluster.processes(c -> c.startsWith("orted")).size(), "orted on the second host");
    }
}
