package dev.cadre.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cadre.cli.hosts.NetnsHosts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Cadre on a network-namespace test bed: {@code cadre server} in h0 and {@code cadre node} in h1..hN, which
 * find the head over mDNS, each under its own host name and address. Driven only as users drive Cadre:
 * through processes, the CLI and the REST API.
 */
final class NetnsCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CADRE = CadreProcess.ROOT.resolve("bin/cadre").toString();
    final NetnsHosts hosts;
    final CadreProcess cadre;
    private final Path base;
    /** The current node-runner process of each node host, by host index. */
    final Map<Integer, Process> nodes = new HashMap<>();
    final Map<Integer, Path> nodeLogs = new HashMap<>();

    private final List<String> nodeOptions;

    private NetnsCluster(NetnsHosts hosts, Path base, List<String> nodeOptions) throws IOException {
        this.hosts = hosts;
        this.base = base;
        this.nodeOptions = nodeOptions;
        this.cadre = new CadreProcess(base);
    }

    /** A head and {@code nodeCount} nodes, all UP. */
    static NetnsCluster start(Path base, int nodeCount, int nodeTimeoutSeconds) throws Exception {
        return start(base, nodeCount, nodeTimeoutSeconds, List.of());
    }

    /** @param nodeOptions more options for every {@code cadre node} */
    static NetnsCluster start(Path base, int nodeCount, int nodeTimeoutSeconds, List<String> nodeOptions)
            throws Exception {
        NetnsHosts hosts = NetnsHosts.create(nodeCount + 1);
        NetnsCluster c;
        try {
            c = new NetnsCluster(hosts, base, nodeOptions);
        } catch (IOException | RuntimeException e) {
            hosts.close();
            throw e;
        }
        try {
            Path log = base.resolve("server-h0.log");
            awaitLog(c.hosts.start("h0", List.of(CADRE, "server", "--bind", c.hosts.address(0), "--data-dir",
                    c.cadre.dataDir.toString(), "--node-timeout", "" + nodeTimeoutSeconds, "--kill-grace", "2"), log),
                    log, "Cadre is up", Duration.ofSeconds(60));
            // All at once: each first start listens out the 5 s discovery window, which one after another added up.
            for (int i = 1; i <= nodeCount; i++) {
                c.launchNode(i, "node-h" + i + ".log");
            }
            for (int i = 1; i <= nodeCount; i++) {
                awaitLog(c.nodes.get(i), c.nodeLogs.get(i), "joined", Duration.ofSeconds(60));
            }
            c.awaitNodes(nodeCount + " nodes UP", n -> n.size() == nodeCount && n.values().stream()
                    .allMatch(v -> "UP".equals(v.get("state"))));
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    /** Starts (or restarts) the node-runner of host i and waits until it joined. */
    Process startNode(int i, String logName) throws Exception {
        Process p = launchNode(i, logName);
        awaitLog(p, nodeLogs.get(i), "joined", Duration.ofSeconds(60));
        return p;
    }

    private Process launchNode(int i, String logName) throws IOException {
        Path log = base.resolve(logName);
        List<String> command = new ArrayList<>(List.of(CADRE, "node", "--config",
                cadre.dataDir.resolve("node.json").toString(), "--state-dir",
                base.resolve("h" + i + "/node").toString(), "--runtime-dir",
                base.resolve("h" + i + "/runtime").toString(), "--heartbeat", "500"));
        command.addAll(nodeOptions);
        Process p = hosts.start(hosts.host(i), command, log);
        nodes.put(i, p);
        nodeLogs.put(i, log);
        return p;
    }

    static void awaitLog(Process p, Path log, String ready, Duration timeout) throws InterruptedException {
        CadreProcess.await("'" + ready + "' in " + log, timeout, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("exited with " + p.exitValue() + ": " + CadreProcess.read(log));
            }
            return CadreProcess.read(log).contains(ready);
        });
    }

    /** Polls /api/nodes, keyed by host name, until the condition holds (bounded). */
    Map<String, Map<String, Object>> awaitNodes(String what, Predicate<Map<String, Map<String, Object>>> condition)
            throws Exception {
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

    /**
     * Submits a job of kind mpi over REST: the node-runner starts the script as every rank itself.
     *
     * @return the job id
     */
    long submitMpi(String script, int nodes, int tasks) throws Exception {
        Map<String, Object> spec = Map.of("name", "mpi", "user", "tester", "script", script, "workDir",
                cadre.workDir.toString(), "nodes", nodes, "tasks", tasks, "kind", "mpi");
        String reply = cadre.restPost("/api/jobs", JSON.writeValueAsString(Map.of("submissionId",
                java.util.UUID.randomUUID().toString(), "spec", spec)));
        return JSON.readTree(reply).path("jobId").asLong();
    }

    /** Waits until the job is in the state and returns its output, which a timeout's failure shows too. */
    String awaitOutput(long job, String state, Duration timeout) throws Exception {
        Path out = cadre.workDir.resolve("slurm-" + job + ".out");
        try {
            cadre.awaitState(job, state, timeout);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; output: " + CadreProcess.read(out), e);
        }
        return CadreProcess.read(out);
    }

    /** One job as the REST API shows it, with its attempts. */
    Map<String, Object> job(long id) throws Exception {
        return JSON.readValue(cadre.restGet("/api/jobs/" + id), new TypeReference<Map<String, Object>>() { });
    }

    /** Processes on the node hosts whose command line matches, as "host:pid command". */
    List<String> processes(Predicate<String> commandLine) {
        List<String> found = new ArrayList<>();
        try {
            for (int i = 1; i < hosts.count(); i++) {
                for (long pid : hosts.pids(hosts.host(i))) {
                    String cmd = CadreProcess.read(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
                    if (commandLine.test(cmd)) {
                        found.add(hosts.host(i) + ":" + pid + " " + cmd);
                    }
                }
            }
        } catch (IOException e) {
            found.add("cannot list: " + e);
        }
        return found;
    }

    @Override
    public void close() throws IOException {
        hosts.close();
    }
}
