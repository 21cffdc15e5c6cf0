package dev.cadre.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    /**
     * SIGKILLs each of these still alive and waits (bounded) for them to go; the command lines of those that were
     * alive, for the test's output.
     */
    static List<String> kill(Set<ProcessHandle> processes) {
        List<String> killed = new ArrayList<>();
        for (ProcessHandle p : processes) {
            String shown = p.pid() + " " + p.info().commandLine().orElse("?");
            if (p.isAlive() && p.destroyForcibly()) {
                killed.add(shown);
            }
        }
        try {
            // One bound for all: under an init that reaps no orphan, a killed one stays a zombie and never "exits".
            CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // what is still there then is a zombie, or the caller's next look finds it
        }
        return killed;
    }
}
