package dev.cadre.node;

import dev.cadre.node.core.TerminalSize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A remote command's pseudo-terminal given its requester's new size (exec-resize, protocol.md 13.11). The node did
 * not make that terminal (util-linux's script did, inside the command), so it is found as the controlling terminal
 * of one of the command's processes: /proc's tty number, checked against the device a standard stream of the same
 * process opens. stty sets the size there; the kernel then sends SIGWINCH to the terminal's foreground process group,
 * as it does for any resize, so shells and editors redraw as they would under ssh.
 */
final class TerminalResize {
    private static final Pattern PTS = Pattern.compile("/dev/pts/[0-9]+");
    private static final long STTY_SECONDS = 5;

    private TerminalResize() {
    }

    /**
     * The device number of a process's controlling terminal from its /proc/PID/stat line, 0 for none (or a line
     * that cannot be read). The command's name, in parentheses, may hold spaces and parentheses itself: the fields
     * are counted from the last ')'.
     */
    static long controllingTerminal(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return 0;
        }
        // After the name: state, ppid, pgrp, session, tty_nr.
        String[] fields = stat.substring(close + 1).trim().split(" ");
        try {
            return fields.length > 4 ? Long.parseLong(fields[4]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The pseudo-terminal the first of {@code pids} that has one as its controlling terminal has, if any. */
    static Optional<Path> terminalOf(List<Long> pids) {
        for (long pid : pids) {
            Path proc = Path.of("/proc", Long.toString(pid));
            long tty;
            try {
                tty = controllingTerminal(Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                continue; // ended meanwhile
            }
            if (tty == 0) {
                continue;
            }
            for (int fd = 0; fd <= 2; fd++) {
                try {
                    String target = Files.readSymbolicLink(proc.resolve("fd").resolve(Integer.toString(fd)))
                            .toString();
                    // The number /proc gives is the kernel's encoding of the device, which unix:rdev reads too.
                    if (PTS.matcher(target).matches()
                            && ((Number) Files.getAttribute(Path.of(target), "unix:rdev")).longValue() == tty) {
                        return Optional.of(Path.of(target));
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // Closed, ended, or not this process's to read: the next.
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Sets the size of the run's terminal, found among its processes and their descendants: not the session's
     * members alone, as script gives its shell a session of its own, with the terminal.
     *
     * @return why it was not set, or null once it was
     */
    static String apply(ExecRun run, TerminalSize size) {
        List<Long> pids = new ArrayList<>(run.processes().pids());
        ProcessHandle.of(run.pid()).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        return apply(pids, size);
    }

    /**
     * Sets the size of the terminal of the processes.
     *
     * @return why it was not set, or null once it was
     */
    static String apply(List<Long> pids, TerminalSize size) {
        Optional<Path> terminal = terminalOf(pids);
        if (terminal.isEmpty()) {
            return "none of its processes has a pseudo-terminal";
        }
        try {
            Process p = new ProcessBuilder("stty", "-F", terminal.get().toString(), "rows",
                    Integer.toString(size.rows()), "cols", Integer.toString(size.columns()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).start();
            if (!p.waitFor(STTY_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "stty on " + terminal.get() + " did not end within " + STTY_SECONDS + " s";
            }
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : "stty on " + terminal.get() + ": " + said;
        } catch (IOException e) {
            return "cannot run stty: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
