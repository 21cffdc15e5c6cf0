package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cadre.cli.hosts.MpiRing;
import dev.cadre.cli.hosts.NetnsHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A head and three nodes on four "machines" (network namespaces, see NetnsHosts): the nodes find the head
 * over mDNS, register under their own host names and addresses, run a job, and a node killed with SIGKILL
 * goes DOWN and comes back UP under the same id.
 */
class MultiHostSystemIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CADRE = CadreProcess.ROOT.resolve("bin/cadre").toString();

    @TempDir
    Path base;
    private NetnsHosts hosts;
    private CadreProcess cadre;

    @BeforeAll
    static void needsNetworkNamespaces() {
        NetnsHosts.assumeAvailable();
    }

    @Test
    void nodesFindTheHeadOverMdnsRunAJobAndSurviveASigkill() throws Exception {
        try (NetnsHosts bed = NetnsHosts.create(4)) {
            hosts = bed;
            cadre = new CadreProcess(base);
            startIn(0, List.of(CADRE, "server", "--bind", hosts.address(0), "--data-dir", cadre.dataDir.toString(),
                    "--node-timeout", "3", "--kill-grace", "2"), "Cadre is up");
            Map<Integer, Process> nodes = new HashMap<>();
            Map<Integer, Path> logs = new HashMap<>();
            for (int i = 1; i <= 3; i++) {
                logs.put(i, base.resolve("node-h" + i + ".log"));
                nodes.put(i, hosts.start(hosts.host(i), nodeCommand(i), logs.get(i)));
            }
            for (int i = 1; i <= 3; i++) {
                awaitLog(nodes.get(i), logs.get(i), "joined", Duration.ofSeconds(60));
                assertTrue(CadreProcess.read(logs.get(i)).contains("Found the head at tcp://" + hosts.address(0)
                        + ":61616 over mDNS."), CadreProcess.read(logs.get(i)));
            }
            Map<String, Map<String, Object>> up = awaitNodes("all three nodes UP", n -> n.size() == 3
                    && n.values().stream().allMatch(v -> "UP".equals(v.get("state"))));
            for (int i = 1; i <= 3; i++) {
                Map<String, Object> node = up.get(hosts.host(i));
                assertEquals(List.of(hosts.address(i)), node.get("addresses"), "node " + node);
                assertTrue(((String) node.get("id")).startsWith(hosts.host(i) + "-"), "node " + node);
            }

            long job = cadre.sbatch("--wrap", "echo $(hostname) $SLURMD_NODENAME");
            cadre.awaitState(job, "COMPLETED", Duration.ofSeconds(60));
            String[] ranOn = Files.readString(cadre.workDir.resolve("slurm-" + job + ".out")).trim().split(" ");
            assertEquals(ranOn[0], ranOn[1], "the job's host name is its node's");
            assertTrue(up.containsKey(ranOn[0]), "ran on " + ranOn[0]);

            String idOfH3 = (String) up.get("h3").get("id");
            assertTrue(hosts.pids("h3").contains(nodes.get(3).pid()), "the node-runner lives in h3");
            hosts.kill(nodes.get(3).pid());
            awaitNodes("h3 DOWN after its timeout", n -> "DOWN".equals(n.get("h3").get("state")));

            Path again = base.resolve("node-h3-again.log");
            awaitLog(hosts.start("h3", nodeCommand(3), again), again, "joined", Duration.ofSeconds(60));
            Map<String, Map<String, Object>> back = awaitNodes("h3 UP again", n -> n.size() == 3
                    && "UP".equals(n.get("h3").get("state")));
            assertEquals(idOfH3, back.get("h3").get("id"), "the restarted node keeps its id");
        }
    }

    /** The ring through Cadre: sbatch, the coordinator's hostfile, mpirun calling cadre rsh for the other hosts. */
    @Test
    void mpiJobsRunAcrossTwoAndThreeHostsAndACancelLeavesNothingBehind() throws Exception {
        MpiRing.assumeAvailable();
        try (NetnsHosts bed = NetnsHosts.create(4)) {
            hosts = bed;
            cadre = new CadreProcess(base);
            startIn(0, List.of(CADRE, "server", "--bind", hosts.address(0), "--data-dir", cadre.dataDir.toString(),
                    "--node-timeout", "5", "--kill-grace", "2"), "Cadre is up");
            for (int i = 1; i <= 3; i++) {
                Path log = base.resolve("node-h" + i + ".log");
                awaitLog(hosts.start(hosts.host(i), nodeCommand(i), log), log, "joined", Duration.ofSeconds(60));
            }
            awaitNodes("three nodes UP", n -> n.size() == 3 && n.values().stream()
                    .allMatch(v -> "UP".equals(v.get("state"))));
            Path ring = MpiRing.compile(base);
            String mpirun = "mpirun --allow-run-as-root --hostfile $CADRE_HOSTFILE --mca btl tcp,self"
                    + " --mca btl_tcp_if_include eth0 --mca oob_tcp_if_include eth0 --mca mpi_yield_when_idle 1 ";
            for (int n = 2; n <= 3; n++) {
                long job = cadre.sbatch("-N", "" + n, "-n", "" + n, "--wrap", mpirun + "-np " + n + " " + ring);
                Path out = cadre.workDir.resolve("slurm-" + job + ".out");
                try {
                    cadre.awaitState(job, "COMPLETED", Duration.ofSeconds(90));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; output: " + CadreProcess.read(out), e);
                }
                String text = CadreProcess.read(out);
                int size = n;
                assertTrue(text.contains("token " + size * (size - 1) / 2 + " after " + size + " ranks"), text);
                Set<String> ranHosts = new HashSet<>();
                for (String line : text.split("\n")) {
                    if (line.startsWith("rank ")) {
                        ranHosts.add(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                assertEquals(n, ranHosts.size(), "one rank per host: " + text);
            }

            long sleeper = cadre.sbatch("-N", "3", "-n", "3", "--wrap", mpirun + "-np 3 sleep 300");
            cadre.awaitState(sleeper, "RUNNING", Duration.ofSeconds(60));
            CadreProcess.await("sleep on all three hosts", Duration.ofSeconds(30),
                    () -> leftovers().size() >= 3);
            assertEquals(0, cadre.run("scancel", "" + sleeper).exit());
            try {
                CadreProcess.await("no MPI process left on any host within 5 s", Duration.ofSeconds(5),
                        () -> leftovers().isEmpty());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + leftovers(), e);
            }
        }
    }

    /** MPI daemons and ranks of the tests' jobs still running in any host. */
    private List<String> leftovers() {
        List<String> found = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                for (long pid : hosts.pids(hosts.host(i))) {
                    String cmd = CadreProcess.read(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
                    if (cmd.contains("orted") || cmd.startsWith("sleep 300") || cmd.contains("mpirun")) {
                        found.add(hosts.host(i) + ":" + pid + " " + cmd);
                    }
                }
            }
        } catch (java.io.IOException e) {
            found.add("cannot list: " + e);
        }
        return found;
    }

    private List<String> nodeCommand(int i) {
        return List.of(CADRE, "node", "--config", cadre.dataDir.resolve("node.json").toString(),
                "--state-dir", base.resolve("h" + i + "/node").toString(), "--heartbeat", "500");
    }

    private void startIn(int i, List<String> command, String ready) throws Exception {
        Path log = base.resolve(command.get(1) + "-" + hosts.host(i) + ".log");
        awaitLog(hosts.start(hosts.host(i), command, log), log, ready, Duration.ofSeconds(60));
    }

    private static void awaitLog(Process p, Path log, String ready, Duration timeout) throws InterruptedException {
        CadreProcess.await("'" + ready + "' in " + log, timeout, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("exited with " + p.exitValue() + ": " + CadreProcess.read(log));
            }
            return CadreProcess.read(log).contains(ready);
        });
    }

    /** Polls /api/nodes, keyed by host name, until the condition holds (bounded). */
    private Map<String, Map<String, Object>> awaitNodes(String what,
            Predicate<Map<String, Map<String, Object>>> condition) throws Exception {
        List<Map<String, Map<String, Object>>> last = new ArrayList<>(List.of(Map.of()));
        try {
            CadreProcess.await(what, Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
                try {
                    Map<String, Map<String, Object>> byHost = new HashMap<>();
                    for (Map<String, Object> n : JSON.readValue(cadre.restGet("/api/nodes"),
                            new TypeReference<List<Map<String, Object>>>() { })) {
                        byHost.put((String) n.get("hostname"), n);
                    }
                    last.set(0, byHost);
                    return condition.test(byHost);
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; /api/nodes last said " + last.get(0), e);
        }
        return last.get(0);
    }
}
