package dev.cadre.cli;

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
 * A two-host MPI job whose coordinator is cut off the network for longer than the 5 s after which the other host
 * used to kill its daemon (its agent's keepalives cross the head's broker, and none arrived), and well inside the
 * node timeout: the ranks run on, and the job completes, as a single-node job would.
 */
class MpiAcrossHeadCutIT {
    private static final Duration CUT = Duration.ofSeconds(9);

    @TempDir
    Path base;

    @BeforeAll
    static void needsHostsAndOpenMpi() {
        NetnsHosts.assumeAvailable();
        MpiRing.assumeAvailable();
    }

    @Test
    void anMpiJobRidesOutItsCoordinatorCutOffForLongerThanFiveSeconds() throws Exception {
        try (NetnsCluster cluster = NetnsCluster.start(base, 2, 30)) {
            Path release = base.resolve("release");
            // Each rank says where it runs, then waits: mpirun ends 0 only if both ranks lived to the end.
            String rank = "echo rank on $(hostname); while [ ! -f " + release + " ]; do sleep 0.2; done";
            long job = cluster.cadre.sbatch("-N", "2", "-n", "2", Files.writeString(base.resolve("ranks.sh"),
                    "#!/bin/bash\n" + MpiRing.MPIRUN + "-np 2 bash -c '" + rank + "'\necho mpirun exit $?\n")
                    .toString());
            cluster.cadre.awaitState(job, "RUNNING", Duration.ofSeconds(60));
            CadreProcess.await("both ranks to wait", Duration.ofSeconds(30), () -> ranks(cluster) == 2);
            String first = ((String) cluster.job(job).get("nodeList")).split(",")[0];

            link(cluster, first, "down");
            long until = System.nanoTime() + CUT.toNanos();
            try {
                CadreProcess.await("a rank to die", CUT, Duration.ofMillis(250), () -> ranks(cluster) < 2);
                throw new IllegalStateException("a rank died while " + first + " was cut off: "
                        + CadreProcess.read(cluster.nodeLogs.get(2)));
            } catch (AssertionError expected) {
                assertTrue(System.nanoTime() - until >= 0, "waited " + CUT);
            } finally {
                link(cluster, first, "up");
            }

            Files.writeString(release, "");
            String out = cluster.awaitOutput(job, "COMPLETED", Duration.ofSeconds(90));
            assertTrue(out.contains("rank on h1\n") && out.contains("rank on h2\n"), out);
            assertTrue(out.contains("mpirun exit 0\n"), out);
        }
    }

    private static int ranks(NetnsCluster cluster) {
        return cluster.processes(c -> c.startsWith("bash -c echo rank on")).size();
    }

    /** Takes the host's only interface down or up, as a cable pulled or plugged back. */
    private static void link(NetnsCluster cluster, String host, String state) throws Exception {
        Path log = Files.createTempFile("link-" + host, ".log");
        Process p = cluster.hosts.start(host, List.of("ip", "link", "set", "eth0", state), log);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "ip link set eth0 " + state + " in "
                + host + ": " + CadreProcess.read(log));
    }
}
