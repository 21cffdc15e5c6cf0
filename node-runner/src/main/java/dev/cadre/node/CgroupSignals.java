package dev.cadre.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Signals to the processes of one cgroup ({@link AttemptCgroups}): a cgroup's members are listed, not found by
 * session or group, so each pid is checked to be still in it before it is signalled.
 */
final class CgroupSignals {
    private static final int MAX_RELISTINGS = 20;

    private CgroupSignals() {
    }

    /**
     * SIGTERM to every process of the cgroup but {@code spared} (Cadre's wrapper), listed again until a listing finds
     * none not yet signalled, as {@link ProcessGroups#signal} does; SIGKILL to all of it, wrapper included, by
     * cgroup.kill, which no fork can outrun.
     */
    static void signal(Path group, long spared, ProcessGroups.Stop stop) {
        if (stop == ProcessGroups.Stop.KILL) {
            try {
                Files.writeString(group.resolve("cgroup.kill"), "1");
                return;
            } catch (NoSuchFileException e) {
                if (!Files.isDirectory(group)) {
                    return; // removed: nothing is in it
                }
                // a kernel before 5.14: each process, as for SIGTERM
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + group.resolve("cgroup.kill") + ": " + e, e);
            }
        }
        Set<Long> signalled = new HashSet<>();
        signalled.add(stop == ProcessGroups.Stop.KILL ? -1 : spared);
        for (int listing = 0; listing <= MAX_RELISTINGS; listing++) {
            List<Long> fresh = AttemptCgroups.members(group).stream().filter(signalled::add).toList();
            if (fresh.isEmpty()) {
                return;
            }
            for (long pid : fresh) {
                // Checked again once the handle holds its start time: the pid may have gone to another process.
                ProcessHandle.of(pid).filter(h -> isIn(pid, group)).ifPresent(stop == ProcessGroups.Stop.KILL
                        ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
            }
        }
    }

    /** Whether the process is in the cgroup now, by its cgroup2 line ({@code 0::/PATH}) in /proc/PID/cgroup. */
    static boolean isIn(long pid, Path group) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "cgroup"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return false; // ended
        }
        return text.lines().filter(l -> l.startsWith("0::/")).map(l -> l.substring(4)).anyMatch(
                relative -> !relative.isEmpty() && group.endsWith(relative));
    }

    /** A signal given as kill(1) options to every process of the cgroup now but {@code spared}; those signalled. */
    static List<Long> signalAllBut(Path group, long spared, List<String> killOptions) {
        List<Long> pids = AttemptCgroups.members(group).stream().filter(p -> p != spared).toList();
        ProcessGroups.kill(pids, killOptions);
        return pids;
    }
}
