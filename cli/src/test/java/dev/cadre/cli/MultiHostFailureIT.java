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
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MPI jobs across hosts when a host fails: a node-runner killed mid-job, and a host that never answers. The
 * hosts are network namespaces (NetnsHosts); Cadre is driven through sbatch and the REST API only.
 */
class MultiHostFailureIT {
    @TempDir
    Path base;

    @BeforeAll
    static void needsHostsAndMpi() {
        NetnsHosts.assumeAvailable();
        MpiRing.assumeAvailable();
    }

    /**
     * The first attempt runs MPI on two of three hosts; the node-runner of its second host dies with SIGKILL.
     * The job ends that attempt NODE_FAIL once the node's timeout passes, is torn down everywhere, is requeued,
     * and its second attempt completes on the two hosts that are left.
     */
    @Test
    void aNodeKilledMidJobFailsTheAttemptAndTheRequeueCompletesOnTheOtherHosts() throws Exception {
        int nodeTimeout = 3;
        try (NetnsCluster cluster = NetnsCluster.start(base, 3, nodeTimeout)) {
            CadreProcess cadre = cluster.cadre;
            Path ring = MpiRing.compile(base);
            Path script = base.resolve("retry.sh");
            Files.writeString(script, "#!/bin/bash\n"
                    + "if [ \"$SLURM_RESTART_COUNT\" = 0 ]; then " + MpiRing.MPIRUN + "-np 2 sleep 300; fi\n"
                    + MpiRing.MPIRUN + "-np 2 " + ring + "\n");
            long job = cadre.sbatch("--requeue", "-N", "2", "-n", "2", script.toString());
            cadre.awaitState(job, "RUNNING", Duration.ofSeconds(60));
            List<String> first = List.of(((String) cluster.job(job).get("nodeList")).split(","));
            CadreProcess.await("the first attempt's ranks on both hosts", Duration.ofSeconds(30),
                    () -> cluster.processes(c -> c.startsWith("sleep 300")).size() == 2);

            String victim = first.get(1);
            int index = Integer.parseInt(victim.substring(1));
            cluster.hosts.kill(cluster.nodes.get(index).pid());
            long killedAt = System.nanoTime();
            CadreProcess.await("attempt 1 to end NODE_FAIL", Duration.ofSeconds(nodeTimeout + 10),
                    () -> attempts(cluster, job).size() >= 1 && "NODE_FAIL".equals(attempts(cluster, job).get(0)
                            .get("state")));
            double detectedAfter = (System.nanoTime() - killedAt) / 1e9;
            assertTrue(detectedAfter < nodeTimeout + 5, "NODE_FAIL " + detectedAfter + " s after the kill");
            Map<String, Object> failed = attempts(cluster, job).get(0);
            assertTrue(String.valueOf(failed.get("error")).contains(victim), "the error names the node: " + failed);

            Path out = cadre.workDir.resolve("slurm-" + job + ".out");
            try {
                cadre.awaitState(job, "COMPLETED", Duration.ofSeconds(90));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; attempts " + attempts(cluster, job) + "; output: "
                        + CadreProcess.read(out), e);
            }
            List<Map<String, Object>> attempts = attempts(cluster, job);
            assertEquals(2, attempts.size(), "" + attempts);
            assertEquals("COMPLETED", attempts.get(1).get("state"));
            String second = (String) attempts.get(1).get("nodes");
            assertFalse(List.of(second.split(",")).contains(victim), "ran again on the dead node: " + second);
            String text = CadreProcess.read(out);
            assertTrue(text.contains("token 1 after 2 ranks"), text);
            assertEquals(2, MpiRing.hostsOfRanks(text).size(), text);
            Predicate<String> firstAttempt = c -> c.startsWith("sleep 300") || c.contains("orted");
            try {
                CadreProcess.await("nothing of the first attempt left on any host", Duration.ofSeconds(15),
                        () -> cluster.processes(firstAttempt).isEmpty());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + cluster.processes(firstAttempt), e);
            }
        }
    }

    /**
     * A host of the allocation whose node-runner is alive but does not answer (stopped with SIGSTOP, so its
     * heartbeats stop too, but well inside a long node timeout): mpirun's agent gives up after its start
     * timeout with exit 255 and a message naming the host, so the job fails within seconds, not hanging.
     */
    @Test
    void aHostThatDoesNotAnswerFailsTheJobFastWithTheReason() throws Exception {
        try (NetnsCluster cluster = NetnsCluster.start(base, 2, 120)) {
            CadreProcess cadre = cluster.cadre;
            Path ring = MpiRing.compile(base);
            long frozen = cluster.nodes.get(2).pid();
            NetnsHosts.run(List.of("kill", "-STOP", Long.toString(frozen)));
            long submitted = System.nanoTime();
            long job = cadre.sbatch("-N", "2", "-n", "2", "-w", "h1,h2", "--wrap", MpiRing.MPIRUN + "-np 2 " + ring);
            String text = cluster.awaitOutput(job, "FAILED", Duration.ofSeconds(40));
            double failedAfter = (System.nanoTime() - submitted) / 1e9;
            assertTrue(failedAfter < 30, "failed only " + failedAfter + " s after submission");
            assertTrue(text.contains("cadre rsh: h2 did not answer within 10 s"), text);
            Map<String, Object> attempt = attempts(cluster, job).get(0);
            assertTrue(String.valueOf(attempt.get("error")).contains("h2 did not answer"), "" + attempt);
            NetnsHosts.run(List.of("kill", "-CONT", Long.toString(frozen)));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> attempts(NetnsCluster cluster, long job) {
        try {
            Object a = cluster.job(job).get("attempts");
            return a == null ? List.of() : (List<Map<String, Object>>) a;
        } catch (Exception e) {
            return List.of();
        }
    }
}
