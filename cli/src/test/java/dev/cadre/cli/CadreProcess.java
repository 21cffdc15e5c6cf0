package dev.cadre.cli;

import dev.cadre.broker.ClientFile;
import dev.cadre.cli.wire.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs bin/cadre and its Slurm links as separate processes, the way a user does: starts and stops the head and
 * its nodes here, runs the commands ({@link CadreCommands}). {@link #close} ends all of it, jobs included.
 */
final class CadreProcess extends CadreCommands implements AutoCloseable {
    /** Every instance not yet closed, for {@link LeftoverSweep} to close after its test or its test class. */
    private static final List<CadreProcess> OPEN = new ArrayList<>();
    /** What {@link #close} had to kill since {@link LeftoverSweep} last looked: "pid command line (in base)". */
    private static final List<String> KILLED = new ArrayList<>();
    /** Whether a test method (its @BeforeEach included) runs now, not a class's set-up or clean-up. */
    private static volatile boolean inTest;
    /** Made by a test method, so {@link LeftoverSweep} closes it after that test; else after its class. */
    private final boolean ofTest = inTest;
    final Path base;
    final int[] ports;
    private Process head;
    /** Every head, node and other long-running process started here, for {@link #close}. */
    private final List<Process> started = new ArrayList<>();
    /** The output of the last head started; null before one is. */
    Path headLog;
    /**
     * Whether 'cadre up' picks its runtime directory itself (a root node: in /run or /dev/shm, outside the test's
     * directory, so the test removes it); else the attempt directories are in the test's directory, and a job a
     * test leaves running at a SIGKILL leaves nothing behind in a RAM file system.
     */
    boolean defaultRuntimeDir;
    /** How long what the head and nodes leave gets to end by itself at {@link #close} before it is killed. */
    Duration leftoverGrace = LeftoverProcesses.GRACE;

    CadreProcess(Path base) throws IOException {
        super(base.resolve("data"), Files.createDirectories(base.resolve("work")));
        this.base = base;
        this.ports = new int[] {freePort(), freePort(), freePort(), freePort(), freePort()};
        synchronized (OPEN) {
            OPEN.add(this);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A port free now, below Linux's ephemeral range (32768 and up): a port handed out by bind(0) could be given
     * to another socket before the head binds it, one below the range only to an explicit bind. Each JVM walks
     * its own stretch (by pid), so concurrent test runs rarely try the same ports.
     */
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
        synchronized (started) {
            started.add(p);
        }
        try {
            await(String.join(" ", cmd.subList(0, 2)) + " to be ready (log " + log + ")", Duration.ofSeconds(60),
                    () -> {
                        if (!p.isAlive()) {
                            throw new AssertionError(cmd.get(1) + " exited: " + read(log));
                        }
                        return read(log).contains(ready);
                    });
        } catch (Exception | AssertionError e) {
            // The caller gets no process to stop; one that is up but never said so would run on.
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw e;
        }
        return p;
    }

    Process head() {
        return head;
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

    /**
     * Stops the head as {@link #stop} does and SIGKILLs every node and client started here, then what they left
     * running: the jobs, their wrappers and launchers, which a stopped node-runner leaves running for the next one
     * to adopt. What ends by itself within {@link LeftoverProcesses#GRACE} is let be; each one killed is named on
     * stderr and kept for {@link LeftoverSweep}, which fails the test that left it.
     */
    @Override
    public void close() throws InterruptedException {
        synchronized (OPEN) {
            OPEN.remove(this);
        }
        List<Process> all;
        synchronized (started) {
            all = List.copyOf(started);
        }
        Set<ProcessHandle> left = LeftoverProcesses.below(all);
        stop();
        for (Process p : all) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        left.addAll(LeftoverProcesses.in(base));
        for (String killed : LeftoverProcesses.kill(left, leftoverGrace)) {
            System.err.println("killed a process the test left running in " + base + ": " + killed);
            synchronized (KILLED) {
                KILLED.add(killed + " (in " + base + ")");
            }
        }
    }

    /** A test method starts (before its @BeforeEach methods) or has ended (after its @AfterEach methods). */
    static void testRunning(boolean running) {
        inTest = running;
    }

    /** Closes every instance not closed yet, or only those a test method made. */
    static void closeAll(boolean onlyThoseOfATest) throws InterruptedException {
        List<CadreProcess> open;
        synchronized (OPEN) {
            open = OPEN.stream().filter(c -> c.ofTest || !onlyThoseOfATest).toList();
        }
        for (CadreProcess c : open) {
            c.close();
        }
    }

    /** What {@link #close} killed since the last call, which the test that just ended left running. */
    static List<String> takeKilled() {
        synchronized (KILLED) {
            List<String> taken = List.copyOf(KILLED);
            KILLED.clear();
            return taken;
        }
    }

    void kill9() throws InterruptedException {
        head.destroyForcibly();
        head.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts 'cadre node' joined to this head by --server, and waits until it has joined. */
    Process startNode(Path stateDir, String hostname) throws Exception {
        return startNode(stateDir, hostname, List.of());
    }

    /**
     * The same, the node's command run by {@code wrapper} (e.g. unshare into a mount namespace of its own), with
     * {@code extra} options of cadre node (e.g. --gpus 4).
     */
    Process startNode(Path stateDir, String hostname, List<String> wrapper, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(ROOT.resolve("bin/cadre").toString(), "node", "--server",
                "tcp://127.0.0.1:" + ports[1], "--config", dataDir.resolve(ClientFile.NODE_FILE).toString(),
                "--state-dir", stateDir.toString(), "--runtime-dir", stateDir + "-runtime", "--hostname", hostname,
                "--heartbeat", "500"));
        cmd.addAll(List.of(extra));
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
