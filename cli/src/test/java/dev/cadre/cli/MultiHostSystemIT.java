package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.hosts.MpiRing;
import dev.cadre.cli.hosts.NetnsHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A head and three nodes on four "machines" (network namespaces, see NetnsHosts): the nodes find the head
 * over mDNS, register under their own host names and addresses, run jobs (MPI ones across hosts through
 * cadre-rsh), and a node killed with SIGKILL goes DOWN and comes back UP under the same id.
 */
class MultiHostSystemIT {
    @TempDir
    Path base;

    @BeforeAll
    static void needsNetworkNamespaces() {
        NetnsHosts.assumeAvailable();
    }

    @Test
    void nodesFindTheHeadOverMdnsRunAJobAndSurviveASigkill() throws Exception {
        try (NetnsCluster cluster = NetnsCluster.start(base, 3, 3)) {
            NetnsHosts hosts = cluster.hosts;
            Map<String, Map<String, Object>> up = cluster.awaitNodes("all three nodes UP", n -> n.size() == 3);
            for (int i = 1; i <= 3; i++) {
                assertTrue(CadreProcess.read(cluster.nodeLogs.get(i)).contains("Found the head at tcp://"
                        + hosts.address(0) + ":61616 over mDNS."), CadreProcess.read(cluster.nodeLogs.get(i)));
                Map<String, Object> node = up.get(hosts.host(i));
                assertEquals(List.of(hosts.address(i)), node.get("addresses"), "node " + node);
                assertTrue(((String) node.get("id")).startsWith(hosts.host(i) + "-"), "node " + node);
            }

            CadreProcess cadre = cluster.cadre;
            long job = cadre.sbatch("--wrap", "echo $(hostname) $SLURMD_NODENAME");
            cadre.awaitState(job, "COMPLETED", Duration.ofSeconds(60));
            String[] ranOn = Files.readString(cadre.workDir.resolve("slurm-" + job + ".out")).trim().split(" ");
            assertEquals(ranOn[0], ranOn[1], "the job's host name is its node's");
            assertTrue(up.containsKey(ranOn[0]), "ran on " + ranOn[0]);

            String idOfH3 = (String) up.get("h3").get("id");
            assertTrue(hosts.pids("h3").contains(cluster.nodes.get(3).pid()), "the node-runner lives in h3");
            hosts.kill(cluster.nodes.get(3).pid());
            cluster.awaitNodes("h3 DOWN after its timeout", n -> "DOWN".equals(n.get("h3").get("state")));

            cluster.startNode(3, "node-h3-again.log");
            Map<String, Map<String, Object>> back = cluster.awaitNodes("h3 UP again", n -> n.size() == 3
                    && "UP".equals(n.get("h3").get("state")));
            assertEquals(idOfH3, back.get("h3").get("id"), "the restarted node keeps its id");
        }
    }

    /** The ring through Cadre: sbatch, the coordinator's hostfile, mpirun calling cadre-rsh for the other hosts. */
    @Test
    void mpiJobsRunAcrossTwoAndThreeHostsAndACancelLeavesNothingBehind() throws Exception {
        MpiRing.assumeAvailable();
        try (NetnsCluster cluster = NetnsCluster.start(base, 3, 5)) {
            CadreProcess cadre = cluster.cadre;
            Path ring = MpiRing.compile(base);
            for (int n = 2; n <= 3; n++) {
                long job = cadre.sbatch("-N", "" + n, "-n", "" + n, "--wrap", MpiRing.MPIRUN + "-np " + n + " "
                        + ring);
                String text = cluster.awaitOutput(job, "COMPLETED", Duration.ofSeconds(90));
                assertTrue(text.contains("token " + n * (n - 1) / 2 + " after " + n + " ranks"), text);
                assertEquals(n, MpiRing.hostsOfRanks(text).size(), "one rank per host: " + text);
            }

            // Kind mpi: Cadre runs Open MPI's mpirun itself, the script being every rank.
            long ranks = cluster.submitMpi("#!/bin/sh\nexec " + ring + "\n", 3, 3);
            String byCadre = cluster.awaitOutput(ranks, "COMPLETED", Duration.ofSeconds(120));
            assertTrue(byCadre.contains("token 3 after 3 ranks"), byCadre);
            assertEquals(Set.of("h1", "h2", "h3"), MpiRing.hostsOfRanks(byCadre), byCadre);

            long sleeper = cadre.sbatch("-N", "3", "-n", "3", "--wrap", MpiRing.MPIRUN + "-np 3 sleep 300");
            cadre.awaitState(sleeper, "RUNNING", Duration.ofSeconds(60));
            CadreProcess.await("sleep on all three hosts", Duration.ofSeconds(30),
                    () -> cluster.processes(MultiHostSystemIT::isMpi).size() >= 3);
            assertEquals(0, cadre.run("scancel", "" + sleeper).exit());
            try {
                // Nothing left behind is the point; 30 s covers TERM, the 2 s grace, KILL and teardown on three
                // hosts of a loaded machine, and a real leak still fails.
                CadreProcess.await("no MPI process left on any host", Duration.ofSeconds(30),
                        () -> cluster.processes(MultiHostSystemIT::isMpi).isEmpty());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + cluster.processes(MultiHostSystemIT::isMpi), e);
            }
        }
    }

    /**
     * A real application from Debian's packages (LAMMPS's Lennard-Jones benchmark, 4,000 atoms), and MPICH's
     * hydra beside Open MPI, called by a script and by Cadre for a job of kind mpi, each on three hosts. The MPICH job gives mpiexec no hostfile and no launcher:
     * hydra takes the hosts from Slurm's variables and the agent from HYDRA_LAUNCHER/HYDRA_LAUNCHER_EXEC.
     */
    @Test
    void lammpsAndMpichHydraRunAcrossThreeHosts() throws Exception {
        MpiRing.assumeAvailable();
        MpiRing.assumeMpich();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/lmp")), "LAMMPS not installed (Debian: lammps)");
        Path input = NetnsHosts.SCRIPT.getParent().resolveSibling("lammps/in.lj");
        // The nodes launch kind-mpi jobs with MPICH; scripts still call whichever mpirun they like.
        try (NetnsCluster cluster = NetnsCluster.start(base, 3, 5, List.of("--mpi", "mpich"))) {
            CadreProcess cadre = cluster.cadre;
            long lammps = cadre.sbatch("-N", "3", "-n", "3", "--wrap", MpiRing.MPIRUN + "--display-map -np 3 lmp"
                    + " -in " + input + " -var x 0.5 -var y 0.5 -var z 0.5 -log none");
            String text = cluster.awaitOutput(lammps, "COMPLETED", Duration.ofSeconds(120));
            assertTrue(text.contains("Loop time of ") && text.contains(" on 3 procs for 100 steps with 4000 atoms"),
                    text);
            for (int i = 1; i <= 3; i++) {
                assertTrue(text.contains("Data for node: h" + i + "\tNum slots: 1\tMax slots: 0\tNum procs: 1"),
                        "a rank on h" + i + ": " + text);
            }

            Path ring = MpiRing.compile(base, "mpicc.mpich", "ring-mpich");
            long mpich = cadre.sbatch("-N", "3", "-n", "3", "--wrap", "mpiexec.hydra -n 3 " + ring);
            String ranks = cluster.awaitOutput(mpich, "COMPLETED", Duration.ofSeconds(120));
            assertTrue(ranks.contains("token 3 after 3 ranks"), ranks);
            assertEquals(Set.of("h1", "h2", "h3"), MpiRing.hostsOfRanks(ranks), ranks);

            long byCadre = cluster.submitMpi("#!/bin/sh\nexec " + ring + "\n", 3, 3);
            String launched = cluster.awaitOutput(byCadre, "COMPLETED", Duration.ofSeconds(120));
            assertTrue(launched.contains("token 3 after 3 ranks"), launched);
            assertEquals(Set.of("h1", "h2", "h3"), MpiRing.hostsOfRanks(launched), launched);
        }
    }


    /** MPI daemons and ranks of the tests' jobs. */
    static boolean isMpi(String commandLine) {
        return commandLine.contains("orted") || commandLine.startsWith("sleep 300") || commandLine.contains("mpirun");
    }
}
