package dev.cadre.node;

import dev.cadre.node.core.MemoryLimit;
import dev.cadre.node.core.ProportionalRecheck;
import dev.cadre.node.core.VirtualMemory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads how much memory a job's processes hold: the sum of their resident set sizes, from /proc/PID/statm.
 *
 * <p>statm, not smaps_rollup: the kernel answers statm from counters it keeps per process, while smaps_rollup walks
 * every mapping's page tables, which for a job holding gigabytes costs milliseconds each second, on every node.
 * statm's resident figure is also what Slurm's jobacct_gather/linux compares with --mem unless UsePss is set. Its
 * cost: pages that the job's processes share (libraries, a forked parent's copy-on-write memory, shared memory
 * segments) count once per process, so a job of many processes may be measured above what it really holds. So a
 * reading over the limit is measured again with PSS, shared pages divided among their sharers ({@link #check}):
 * the costly walk only then, and a Python multiprocessing pool is not killed for its parent's pages.
 */
final class ResidentMemory {
    private static final Path PROC = Path.of("/proc");

    private ResidentMemory() {
    }

    /** The resident bytes of the processes, {@code spared} (Cadre's wrapper, not the job's) left out. */
    static long of(List<Long> pids, long spared) {
        return sum(pids, residentByPid(pids, spared));
    }

    /**
     * The virtual memory size of the processes still there, {@code spared} left out, their statm sizes summed (the
     * VmSize of /proc/PID/status, read from the same counters); null when none could be read.
     */
    static Long virtualSize(List<Long> pids, long spared) {
        Long sum = null;
        for (long pid : pids.stream().distinct().toList()) {
            if (pid == spared) {
                continue;
            }
            try {
                OptionalLong one = VirtualMemory.fromStatm(Files.readString(PROC.resolve(Long.toString(pid))
                        .resolve("statm"), StandardCharsets.ISO_8859_1), SystemConfiguration.pageSize());
                if (one.isPresent()) {
                    long total = sum == null ? 0 : sum;
                    sum = total > Long.MAX_VALUE - one.getAsLong() ? Long.MAX_VALUE : total + one.getAsLong();
                }
            } catch (IOException e) {
                // ended since the listing: not in this sample
            }
        }
        return sum;
    }

    /** The resident bytes of each process still there, by pid, {@code spared} left out. */
    private static Map<Long, Long> residentByPid(List<Long> pids, long spared) {
        Map<Long, Long> resident = new HashMap<>();
        for (long pid : pids) {
            if (pid == spared || resident.containsKey(pid)) {
                continue;
            }
            try {
                resident.put(pid, MemoryLimit.residentBytes(Files.readString(PROC.resolve(Long.toString(pid))
                        .resolve("statm"), StandardCharsets.ISO_8859_1), SystemConfiguration.pageSize()));
            } catch (IOException e) {
                // ended since the listing: it holds nothing now
            }
        }
        return resident;
    }

    /** The figures of the pids as listed, saturating rather than overflowing. */
    private static long sum(List<Long> pids, Map<Long, Long> resident) {
        long sum = 0;
        for (long pid : pids) {
            long one = resident.getOrDefault(pid, 0L);
            sum = sum > Long.MAX_VALUE - one ? Long.MAX_VALUE : sum + one;
        }
        return sum;
    }

    /**
     * The limit's decision on the processes: over it only if their PSS (/proc/PID/smaps_rollup) is over it too, as
     * well as their summed statm, and then with the PSS figure. A process whose smaps_rollup cannot be read (a
     * kernel before 4.14) counts its statm figure. PSS is walked only when {@code recheck} calls for it; otherwise
     * its last clearing stands.
     */
    static MemoryLimit.Decision check(MemoryLimit limit, List<Long> pids, long spared, ProportionalRecheck recheck) {
        Map<Long, Long> byPid = residentByPid(pids, spared);
        long statm = sum(pids, byPid);
        MemoryLimit.Decision resident = limit.check(statm);
        if (!(resident instanceof MemoryLimit.Exceeded)) {
            recheck.forget();
            return resident;
        }
        if (!recheck.due(statm, byPid)) {
            return new MemoryLimit.Within(statm);
        }
        long pss = proportional(pids, spared);
        MemoryLimit.Decision proportional = limit.check(pss);
        if (proportional instanceof MemoryLimit.Within) {
            recheck.cleared(statm, byPid, limit.limitBytes() - pss);
        } else {
            recheck.forget();
        }
        return proportional;
    }

    /** The PSS sum of the processes, {@code spared} left out. */
    private static long proportional(List<Long> pids, long spared) {
        long sum = 0;
        for (long pid : pids) {
            if (pid == spared) {
                continue;
            }
            Path dir = PROC.resolve(Long.toString(pid));
            long one;
            try {
                one = MemoryLimit.proportionalBytes(Files.readString(dir.resolve("smaps_rollup"),
                        StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                one = -1;
            }
            if (one < 0) {
                one = of(List.of(pid), 0);
            }
            sum = sum > Long.MAX_VALUE - one ? Long.MAX_VALUE : sum + one;
        }
        return sum;
    }
}
