package dev.cadre.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Signals and watches what a job started: the process group of its leader, and the whole session the leader
 * opened with setsid. The session matters because launchers put their children in process groups of their own
 * (mpirun and orted do, for the ranks), which a group signal misses.
 */
final class ProcessGroups {
    private static final Path PROC = Path.of("/proc");
    /** Listings of the group after the first; a job forking faster than this keeps some of its processes. */
    private static final int MAX_RELISTINGS = 20;

    /** The signals that stop a job: what {@link ProcessHandle#destroy} and its forcible form send. */
    enum Stop {
        TERM, KILL
    }

    private ProcessGroups() {
    }

    /**
     * Sends the signal to every process of the group and of the session (the leader called setsid, so its pid is
     * also the session id), from this process: the members are read from /proc and signalled by kill(2) through
     * {@link ProcessHandle}, which checks each one's start time so that a pid reused meanwhile is spared. Starting
     * kill(1) or pkill(1) instead can fail (no process slot left, procps missing) just when a job must be stopped.
     * A process forked between the listing and the signal is found by listing again, until a listing finds no
     * member not yet signalled.
     *
     * @throws IllegalStateException when /proc cannot be listed
     */
    static void signal(long pgid, Stop signal) {
        Set<Long> signalled = new HashSet<>();
        for (int listing = 0; listing <= MAX_RELISTINGS; listing++) {
            List<Long> fresh = members(pgid, false).stream().filter(signalled::add).toList();
            if (fresh.isEmpty()) {
                return;
            }
            for (long pid : fresh) {
                // Checked again once the handle holds its start time: the pid may have gone to another process.
                ProcessHandle.of(pid).filter(h -> inGroupOrSession(PROC.resolve(Long.toString(pid)), pgid))
                        .ifPresent(signal == Stop.KILL ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
            }
        }
    }

    /**
     * Signals every process the session has now but one: the job's wrapper, which a warning must not end (USR1,
     * for one, ends a process that does not catch it). Processes started after the listing, such as those a
     * trap handler runs for this very signal, are left alone.
     *
     * @return the processes signalled
     */
    static List<Long> signalSessionExcept(long sid, long spared, List<String> killOptions) {
        List<Long> pids = exec(true, "pgrep", "-s", Long.toString(sid)).output().lines()
                .map(String::trim).filter(l -> !l.isEmpty()).map(Long::parseLong).filter(p -> p != spared).toList();
        kill(pids, killOptions);
        return pids;
    }

    /**
     * Signals the batch script alone (Slurm's "B:"), and returns it; nothing when the wrapper has no child. The script
     * is the wrapper's child that started first: the wrapper starts no other, and every other child it has is an
     * orphan of the job that it adopted as the job's subreaper, which the script, or a descendant of it, started
     * later. Two that started in the same clock tick go by pid, which the kernel hands out in increasing order.
     * Nothing once the wrapper has ended: its pid, and the children of whatever holds it now, are no longer the job's.
     */
    static List<Long> signalBatchScript(JobProcesses.Leader wrapper, List<String> killOptions) {
        List<Long> script = wrapper.handle().stream().flatMap(ProcessHandle::children)
                .map(h -> new long[] {startTicks(h.pid()).orElse(Long.MAX_VALUE), h.pid()})
                .min(Comparator.<long[]>comparingLong(started -> started[0]).thenComparingLong(started -> started[1]))
                .map(started -> List.of(started[1])).orElse(List.of());
        kill(script, killOptions);
        return script;
    }

    /** kill(1) with the options (a signal) for the processes; some may have ended since they were listed. */
    static void kill(List<Long> pids, List<String> killOptions) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill"));
        command.addAll(killOptions);
        command.add("--");
        pids.forEach(p -> command.add(Long.toString(p)));
        // Some may have ended since the listing; kill still signals the rest.
        exec(false, command.toArray(String[]::new));
    }

    /**
     * True while any process of the group or the session exists. Read from /proc in this process: starting
     * kill(1) and pgrep(1) for it cost more than a trivial job. A job end needs it only when the wrapper could not
     * tell that nothing of the job was left (see job-wrapper.pl).
     */
    static boolean alive(long pgid) {
        return !members(pgid, true).isEmpty();
    }

    /**
     * The processes whose group or session is {@code id}, as /proc lists them now.
     *
     * @throws IllegalStateException when /proc cannot be listed
     */
    static List<Long> members(long id) {
        return members(id, false);
    }

    /**
     * The processes whose group or session is {@code id}, as /proc lists them now.
     *
     * @param firstOnly stop at the first one found
     * @throws IllegalStateException when /proc cannot be listed
     */
    private static List<Long> members(long id, boolean firstOnly) {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0)) && inGroupOrSession(entry, id)) {
                    found.add(Long.parseLong(name));
                    if (firstOnly) {
                        break;
                    }
                }
            }
            return found;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + PROC + ": " + e.getMessage(), e);
        }
    }

    /** Fields 5 and 6 of /proc/PID/stat. */
    private static boolean inGroupOrSession(Path process, long id) {
        String[] fields = statFields(process, 5);
        return fields.length > 3 && (Long.parseLong(fields[2]) == id || Long.parseLong(fields[3]) == id);
    }

    /**
     * The fields of /proc/PID/stat from the third (state) on, after the command name that may hold spaces and
     * parentheses; empty when the process is gone.
     */
    static String[] statFields(Path process, int limit) {
        String stat;
        try {
            stat = Files.readString(process.resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return new String[0]; // ended since the listing
        }
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ", limit);
    }

    /**
     * When the process started, in clock ticks after boot (field 22 of /proc/PID/stat): exact, unlike {@link
     * ProcessHandle.Info#startInstant}, so two processes given the same pid never compare equal. Empty when there
     * is no such process.
     */
    static OptionalLong startTicks(long pid) {
        String[] fields = statFields(PROC.resolve(Long.toString(pid)), 21);
        return fields.length > 19 ? OptionalLong.of(Long.parseLong(fields[19])) : OptionalLong.empty();
    }

    private record Result(int exit, String output) {
    }

    /** @param capture keep standard output (standard error is always dropped) */
    private static Result exec(boolean capture, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(capture ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD).start();
            String output = capture ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
            return new Result(p.waitFor(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "");
        }
    }
}
