package dev.cadre.cli.hosts;

import dev.cadre.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Several "machines" on this one: network namespaces h0, h1, ... with their own addresses (10.213.0.10+i
 * on the bridge cadrebr0; this machine is 10.213.0.1), host names and /etc/hosts, and multicast between
 * them, made by the script cli/src/test/netns/netns-hosts. Needs root and iproute2; {@link #assumeAvailable}
 * skips a test where they are missing. One test bed at a time per machine: a lock file serialises test runs
 * of several checkouts, and creating removes whatever a crashed run left under the same names.
 */
public final class NetnsHosts implements AutoCloseable {
    public static final Path SCRIPT = Path.of(System.getProperty("cadre.root", "..")).toAbsolutePath().normalize()
            .resolve("cli/src/test/netns/netns-hosts");
    private static final String PREFIX = "cadre";
    private static final String NET = "10.213.0";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LOCK_WAIT = Duration.ofMinutes(10);

    private final int count;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final List<Process> started = new ArrayList<>();

    private NetnsHosts(int count, FileChannel lockFile, FileLock lock) {
        this.count = count;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Skips the calling test, with the reason, unless this machine can make network namespaces. */
    public static void assumeAvailable() {
        Optional<String> missing = missingRequirement();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "multi-host test bed unavailable: " + missing.get());
    }

    static Optional<String> missingRequirement() {
        if (!System.getProperty("os.name").equals("Linux")) {
            return Optional.of("network namespaces need Linux");
        }
        try {
            if (!run(List.of("id", "-u")).strip().equals("0")) {
                return Optional.of("not running as root");
            }
            run(List.of("ip", "netns", "list"));
            run(List.of("unshare", "--version"));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Hosts h0..h(count-1), after removing the leftovers of an earlier run. */
    public static NetnsHosts create(int count) throws IOException, InterruptedException {
        Path lockPath = Path.of("/run/lock/cadre-netns-" + PREFIX + ".lock");
        FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock[] lock = new FileLock[1];
        try {
            Await.until(lockPath + ", which another test bed holds", LOCK_WAIT, Duration.ofMillis(200), () -> {
                try {
                    return (lock[0] = channel.tryLock()) != null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (AssertionError | RuntimeException | InterruptedException e) {
            channel.close();
            throw e;
        }
        NetnsHosts hosts = new NetnsHosts(count, channel, lock[0]);
        try {
            run(List.of(SCRIPT.toString(), "up", PREFIX, "" + count, NET));
            return hosts;
        } catch (IOException | RuntimeException e) {
            hosts.close();
            throw e;
        }
    }

    public int count() {
        return count;
    }

    public String host(int i) {
        return "h" + i;
    }

    public String address(int i) {
        return NET + "." + (10 + i);
    }

    /** The value for mpirun's --mca plm_rsh_agent that reaches these hosts the way ssh would. */
    public String rshAgent() {
        return SCRIPT + " rsh " + PREFIX;
    }

    /** This machine's own address on the bridge. */
    public String bridgeAddress() {
        return NET + ".1";
    }

    /**
     * Starts a command in a host, stdout and stderr to the log. The Process's pid is the command's own
     * (the script execs all the way down), so destroyForcibly() is a SIGKILL of the command itself.
     */
    public Process start(String host, List<String> command, Path log) throws IOException {
        List<String> argv = new ArrayList<>(List.of(SCRIPT.toString(), "exec", PREFIX, host));
        argv.addAll(command);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    /** The pids of every process living in the host (ip netns pids). */
    public List<Long> pids(String host) throws IOException {
        return run(List.of("ip", "netns", "pids", PREFIX + "-" + host)).lines().map(String::strip)
                .filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }

    /** SIGKILL, and waits (bounded) until the process is gone. */
    public void kill(long pid) throws IOException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroyForcibly();
        try {
            handle.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("process " + pid + " did not die within 30 s of SIGKILL", e);
        }
    }

    /** Kills everything in the hosts and removes them; safe to call more than once. */
    @Override
    public void close() throws IOException {
        try {
            run(List.of(SCRIPT.toString(), "down", PREFIX));
            synchronized (started) {
                started.forEach(Process::destroyForcibly);
            }
        } finally {
            if (lock.isValid()) {
                lock.release();
            }
            lockFile.close();
        }
    }

    /** Runs a short command to its end (bounded); returns its stdout, or throws with its output. */
    public static String run(List<String> command) throws IOException {
        // Output goes to a file, not a pipe: reading a pipe would wait as long as the command does.
        Path out = Files.createTempFile("netns-hosts", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
