package dev.cadre.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** 'cadre up' as a separate process on free loopback ports and a data directory of its own. */
final class LocalCadre implements AutoCloseable {
    private final Process process;
    private final Path dataDir;
    private final Path workDir;

    private LocalCadre(Process process, Path dataDir, Path workDir) {
        this.process = process;
        this.dataDir = dataDir;
        this.workDir = workDir;
    }

    static LocalCadre start(Path launcher, Path base, List<String> extra) throws Exception {
        Path data = base.resolve("data");
        Path work = Files.createDirectories(base.resolve("work"));
        Path log = base.resolve("cadre-up.log");
        int[] ports = freePorts(4);
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "up", "--data-dir", data.toString(),
                "--http-port", "" + ports[0], "--broker-port", "" + ports[1], "--amqp-port", "" + ports[2],
                "--stomp-port", "" + ports[3], "--mdns-address", "off"));
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(log) || !Files.readString(log).contains("Cadre is up")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("cadre up did not start: " + Files.readString(log));
            }
            Thread.sleep(50); // waiting for another process's ready line; the deadline bounds it
        }
        return new LocalCadre(p, data, work);
    }

    Path clientFile() {
        return dataDir.resolve("client.json");
    }

    Path workDir() {
        return workDir;
    }

    long pid() {
        return process.pid();
    }

    /**
     * CPU seconds so far of the head itself and of the jobs' processes: its ended children, and its live ones with
     * theirs (the node's job launcher lives as long as the head and reaps every job's wrapper itself), from
     * /proc/PID/stat; clock ticks are taken as 100 a second, as on every Linux build here.
     */
    double[] cpuSeconds() throws IOException {
        long[] head = ticks(process.pid());
        long jobs = head[2] + head[3];
        for (ProcessHandle child : process.toHandle().children().toList()) {
            try {
                long[] t = ticks(child.pid());
                jobs += t[0] + t[1] + t[2] + t[3];
            } catch (IOException e) {
                // ended since the listing: its time is the head's children's now
            }
        }
        return new double[] {(head[0] + head[1]) / 100.0, jobs / 100.0};
    }

    /** utime, stime, cutime and cstime (fields 14-17 of /proc/PID/stat) in clock ticks. */
    private static long[] ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // After the name: state is field 3, so utime..cstime are at 11-14 here.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14])};
    }

    /** Distinct ports: all are held open together, since a port just closed can be handed out again at once. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
