package dev.cadre.node;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Signals and watches what a job started: the process group of its leader, and the whole session the leader
 * opened with setsid, through kill(1) and pkill(1). The session matters because launchers put their children
 * in process groups of their own (mpirun and orted do, for the ranks), which a group signal misses.
 */
final class ProcessGroups {
    private ProcessGroups() {
    }

    static void signal(long pgid, String signal) {
        run("kill", "-s", signal, "--", "-" + pgid);
        // The leader called setsid, so its pid is also the session id.
        run("pkill", "-" + signal, "-s", Long.toString(pgid));
    }

    /** True while any process of the group or the session exists. */
    static boolean alive(long pgid) {
        return run("kill", "-0", "--", "-" + pgid) == 0 || run("pgrep", "-s", Long.toString(pgid)) == 0;
    }

    /** Waits until the group is empty or the timeout passes; returns whether it emptied. */
    static boolean awaitEmpty(long pgid, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (alive(pgid)) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive(pgid);
            }
        }
        return true;
    }

    /** TERM, then KILL what is left after the grace period. */
    static void terminate(long pgid, Duration grace) {
        if (!alive(pgid)) {
            return;
        }
        signal(pgid, "TERM");
        if (!awaitEmpty(pgid, grace)) {
            signal(pgid, "KILL");
            awaitEmpty(pgid, Duration.ofSeconds(10));
        }
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
