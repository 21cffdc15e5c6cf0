package dev.cadre.cli;

import dev.cadre.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The processes a test's heads and nodes leave running: a job keeps running when its node-runner stops (it is
 * adopted at the next start), so a test that ends early, on a failed assertion, before it lets its job end, would
 * leave the job's script, its wrapper and the job launcher looping in a removed temporary directory. They are the
 * ones below the test's own processes while those run, and afterwards those whose command line or working
 * directory is in the test's directory, which no other test names.
 */
final class LeftoverProcesses {
    private LeftoverProcesses() {
    }

    /** Every process now below these ones (alive or not): what they started, found while they still run. */
    static Set<ProcessHandle> below(List<Process> started) {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        for (Process p : started) {
            p.toHandle().descendants().forEach(found::add);
        }
        return found;
    }

    /** Every live process but this JVM whose command line or working directory names a path in {@code dir}. */
    static Set<ProcessHandle> in(Path dir) {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        String prefix = dir.toAbsolutePath().normalize().toString();
        long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(p -> p.pid() != self).filter(p -> names(p.pid(), prefix)).forEach(found::add);
        }
        return found;
    }

    private static boolean names(long pid, String prefix) {
        Optional<String> cwd = cwd(pid);
        if (cwd.isPresent() && within(cwd.get(), prefix)) {
            return true;
        }
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", "" + pid, "cmdline"));
            for (String arg : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                for (String word : arg.split("[ \t\n;=:'\"]")) {
                    if (within(word, prefix)) {
                        return true;
                    }
                }
            }
        } catch (IOException | SecurityException gone) {
            // ended meanwhile, or not ours to read
        }
        return false;
    }

    private static Optional<String> cwd(long pid) {
        try {
            // A removed directory reads as "/tmp/junit-1/work (deleted)".
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", "" + pid, "cwd")).toString()
                    .replaceFirst(" \\(deleted\\)$", ""));
        } catch (IOException | UnsupportedOperationException | SecurityException gone) {
            return Optional.empty();
        }
    }

    /** Whether the path is dir or below it: /tmp/junit-1 is not within /tmp/junit-12. */
    static boolean within(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    /** How long what a test left gets to end by itself: a released job's script, a launcher reaping its wrappers. */
    static final Duration GRACE = Duration.ofSeconds(10);

    /**
     * Waits up to the grace for these to end by themselves, then SIGKILLs each one still running and waits (bounded)
     * for them to go; "pid command line" of each one killed, for the test's failure.
     */
    static List<String> kill(Set<ProcessHandle> processes, Duration grace) throws InterruptedException {
        if (!ended(processes, grace)) {
            List<String> killed = new ArrayList<>();
            for (ProcessHandle p : processes) {
                String shown = p.pid() + " " + p.info().commandLine().orElse("?");
                if (running(p) && p.destroyForcibly()) {
                    killed.add(shown);
                }
            }
            ended(processes, Duration.ofSeconds(10));
            return killed;
        }
        return List.of();
    }

    private static boolean ended(Set<ProcessHandle> processes, Duration timeout) throws InterruptedException {
        try {
            Await.until("the processes the test left to end", timeout, Duration.ofMillis(100),
                    () -> processes.stream().noneMatch(LeftoverProcesses::running));
            return true;
        } catch (AssertionError stillRunning) {
            return false;
        }
    }

    /**
     * Whether the process still runs: a zombie has ended, though ProcessHandle counts it alive (a killed orphan may
     * wait a moment for its reaper, and under an init that reaps no orphan it stays one).
     */
    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            // "pid (command) S ...": the command may hold spaces and parentheses, the state follows the last ')'.
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException gone) {
            return p.isAlive();
        }
    }
}
