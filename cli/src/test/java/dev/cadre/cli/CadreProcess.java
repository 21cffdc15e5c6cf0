package dev.cadre.cli;

import dev.cadre.broker.ClientFile;
import dev.cadre.cli.wire.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Runs bin/cadre and its Slurm links as separate processes, the way a user does. */
final class CadreProcess {
    static final Path ROOT = Path.of(System.getProperty("cadre.root", "..")).toAbsolutePath().normalize();
    final Path dataDir;
    final Path workDir;
    final int[] ports;
    private Process head;
    /** The output of the last head started; null before one is. */
    Path headLog;
    /**
     * Whether 'cadre up' picks its runtime directory itself (a root node: in /run or /dev/shm, outside the test's
     * directory, so the test removes it); else the attempt directories are in the test's directory, and a job a
     * test leaves running at a SIGKILL leaves nothing behind in a RAM file system.
     */
    boolean defaultRuntimeDir;

    CadreProcess(Path base) throws IOException {
        this.dataDir = base.resolve("data");
        this.workDir = Files.createDirectories(base.resolve("work"));
        this.ports = new int[] {freePort(), freePort(), freePort(), freePort(), freePort()};
    }

    /**
     * A port free now, below Linux's ephemeral range (32768 and up): a port handed out by bind(0) could be given
     * to another socket before the head binds it, one below the range only to an explicit bind. Each JVM walks
     * its own stretch (by pid), so concurrent test runs rarely try the same ports.
     */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static int freePort() throws IOException {
        for (int tried = 0; tried < 1_000; tried++) {
            int port = LOWEST_PORT + Math.floorMod(nextPort.getAndIncrement(), 32_000 - LOWEST_PORT);
            try (ServerSocket s = new ServerSocket(port)) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // in use; the next one
            }
        }
        throw new IOException("no free port among 1,000 tried from " + LOWEST_PORT + " to 32000");
    }

    private static final int LOWEST_PORT = 20_000;
    private static final AtomicInteger nextPort = new AtomicInteger((int) (ProcessHandle.current().pid() * 97 % 12_000));

    /** Starts 'cadre up' and waits for its ready line. */
    Process up(String... extra) throws Exception {
        return startHead("up", extra);
    }

    /** Starts 'cadre up' or 'cadre server' and waits for its ready line. */
    Process startHead(String command, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/cadre").toString(), command,
                "--data-dir", dataDir.toString(), "--http-port", "" + ports[0], "--broker-port", "" + ports[1],
                "--amqp-port", "" + ports[2], "--stomp-port", "" + ports[3], "--node-port", "" + ports[4],
                "--kill-grace", "2"));
        if (command.equals("up") && !defaultRuntimeDir) {
            cmd.addAll(List.of("--runtime-dir", dataDir.resolveSibling("runtime").toString()));
        }
        cmd.addAll(List.of(extra));
        headLog = logFor(cmd);
        head = startAndAwait(cmd, "Cadre is up", headLog);
        return head;
    }

    private Path logFor(List<String> cmd) {
        return dataDir.getParent().resolve(cmd.get(1) + "-" + System.nanoTime() + ".log");
    }

    /** Starts a long-running cadre process and waits until its output shows the ready text. */
    Process startAndAwait(List<String> cmd, String ready) throws Exception {
        return startAndAwait(cmd, ready, logFor(cmd));
    }

    private Process startAndAwait(List<String> cmd, String ready, Path log) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await(String.join(" ", cmd.subList(0, 2)) + " to be ready (log " + log + ")", Duration.ofSeconds(60), () -> {
            if (!p.isAlive()) {
                throw new AssertionError(cmd.get(1) + " exited: " + read(log));
            }
            return read(log).contains(ready);
        });
        return p;
    }

    Process head() {
        return head;
    }

    record Result(int exit, String out, String err) {
    }

    /** Runs bin/NAME (a Slurm link or cadre) in the work directory with the client file of this head. */
    Result run(String name, String... args) throws Exception {
        return run(Map.of(), name, args);
    }

    /** Like {@link #run(String, String...)}, with these variables added to the command's environment. */
    Result run(Map<String, String> env, String name, String... args) throws Exception {
        return run(env, null, name, args);
    }

    /** Like {@link #run(String, String...)}, with this text on the command's standard input. */
    Result runWithInput(String input, String name, String... args) throws Exception {
        return run(Map.of(), input, name, args);
    }

    /** @param input the command's standard input; null gives it an empty one, as CI's commands have */
    private Result run(Map<String, String> env, String input, String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/" + name).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        pb.environment().put("CADRE_CONFIG", dataDir.resolve("client.json").toString());
        Path in = Files.createTempFile(workDir.getParent(), "in", ".txt");
        Files.writeString(in, input == null ? "" : input);
        Path out = Files.createTempFile(workDir.getParent(), "out", ".txt");
        Path err = Files.createTempFile(workDir.getParent(), "err", ".txt");
        Process p = pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts bin/NAME as run does, without waiting for it; stdout and stderr both go to the file. */
    Process startClient(Path output, String name, String... args) throws IOException {
        return startClient(Map.of(), output, name, args);
    }

    /** Like {@link #startClient(Path, String, String...)}, with these variables added to its environment. */
    Process startClient(Map<String, String> env, Path output, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/" + name).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("CADRE_CONFIG", dataDir.resolve("client.json").toString());
        return pb.redirectOutput(output.toFile()).start();
    }

    /** Runs a client command that must succeed; a failure names the command and what it printed. */
    Result ok(String name, String... args) throws Exception {
        Result r = run(name, args);
        if (r.exit() != 0) {
            throw new AssertionError(name + " " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }

    long sbatch(String... args) throws Exception {
        Result r = run("sbatch", args);
        if (r.exit() != 0 || !r.out().startsWith("Submitted batch job ")) {
            throw new AssertionError("sbatch failed: " + r);
        }
        return Long.parseLong(r.out().trim().substring("Submitted batch job ".length()));
    }

    /** The job's state as sacct -X -P prints it (-X: the job alone, not its batch step). */
    /** The job's state as sacct shows it, without whom a cancel names ("CANCELLED by 1000" is CANCELLED). */
    String state(long id) throws Exception {
        Result r = run("sacct", "-X", "-j", "" + id, "-n", "-P", "--format", "State");
        return r.out().trim().replace("|", "").replaceFirst(" by .*", "");
    }

    /** The uid of the user running the tests, as sacct shows who cancelled a job ("CANCELLED by 1000"). */
    static String myUid() throws Exception {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (!id.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || id.exitValue() != 0) {
            throw new IllegalStateException("id -u failed: " + uid);
        }
        return uid;
    }

    /** scontrol as a user who is no operator, in this process: every process the test starts is the head's owner. */
    Result scontrolAsUser(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = new ScontrolCommand(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                dataDir.resolve("client.json").toString(), java.time.Clock.systemUTC()).run(List.of(args), false,
                Map.of());
        return new Result(rc, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    Map<String, String> sacct(long id) throws Exception {
        String line = run("sacct", "-X", "-j", "" + id, "-n", "-P", "--format", "JobID,State,ExitCode").out().trim();
        String[] f = line.split("\\|");
        return Map.of("id", f[0], "state", f[1], "exit", f[2]);
    }

    void awaitState(long id, String state, Duration timeout) throws Exception {
        String[] last = {""};
        await("job " + id + " to be " + state, timeout, () -> {
            try {
                last[0] = state(id);
                return last[0].equals(state);
            } catch (Exception e) {
                return false;
            }
        });
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await(what, timeout, Duration.ofMillis(50), condition);
    }

    /** Checks the condition every interval until it holds; fails once the timeout has passed. */
    static void await(String what, Duration timeout, Duration interval, BooleanSupplier condition)
            throws InterruptedException {
        // Monotonic: a clock step (chrony on a fresh CI machine) would shorten or stretch the wait.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** SIGTERM; returns whether the head stopped by itself in time (it is SIGKILLed otherwise). */
    boolean stop() throws InterruptedException {
        if (head == null || !head.isAlive()) {
            return true;
        }
        head.destroy();
        if (head.waitFor(30, TimeUnit.SECONDS)) {
            return true;
        }
        head.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return false;
    }

    void kill9() throws InterruptedException {
        head.destroyForcibly();
        head.waitFor(10, TimeUnit.SECONDS);
    }

    /** GETs a REST API path with the client file's bearer token; fails unless the answer is 200. */
    String restGet(String path) throws Exception {
        ClientFile client = ClientFile.read(dataDir.resolve(ClientFile.CLIENT_FILE));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(client.httpUrl() + path)).header("Authorization", "Bearer " + client.token())
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** POSTs JSON to a REST API path with the client file's bearer token; fails unless the answer is 2xx. */
    String restPost(String path, String json) throws Exception {
        ClientFile client = ClientFile.read(dataDir.resolve(ClientFile.CLIENT_FILE));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(client.httpUrl() + path)).header("Authorization", "Bearer " + client.token())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Starts 'cadre node' joined to this head by --server, and waits until it has joined. */
    Process startNode(Path stateDir, String hostname) throws Exception {
        return startNode(stateDir, hostname, List.of());
    }

    /** The same, the node's command run by {@code wrapper} (e.g. unshare into a mount namespace of its own). */
    Process startNode(Path stateDir, String hostname, List<String> wrapper) throws Exception {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(ROOT.resolve("bin/cadre").toString(), "node", "--server",
                "tcp://127.0.0.1:" + ports[1], "--config", dataDir.resolve(ClientFile.NODE_FILE).toString(),
                "--state-dir", stateDir.toString(), "--runtime-dir", stateDir + "-runtime", "--hostname", hostname,
                "--heartbeat", "500"));
        Process node = startAndAwait(cmd, "joined");
        // "joined" is printed once the node's first heartbeat is sent; the head records it a moment later, and on a
        // loaded machine a test's first REST or sinfo call could come in between.
        try {
            String id = Files.readString(stateDir.resolve("node-id")).strip();
            await("the head to list node " + hostname + " (" + id + ") UP", Duration.ofSeconds(60), () -> {
                try {
                    Json nodes = Json.parse(restGet("/api/nodes"));
                    for (int i = 0; i < nodes.size(); i++) {
                        if (nodes.path(i).path("id").asText().equals(id)) {
                            return nodes.path(i).path("state").asText().equals("UP");
                        }
                    }
                    return false;
                } catch (Exception | AssertionError e) {
                    return false;
                }
            });
        } catch (Exception | AssertionError e) {
            // The caller gets no process to stop: a node left running would hold its state directory.
            node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw e;
        }
        return node;
    }
}
