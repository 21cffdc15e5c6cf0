package dev.cadre.node.core;

import dev.cadre.protocol.ResourceUsage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an attempt's runner-finished reports of what its processes used (protocol.md 10.2, {@link ResourceUsage}):
 * its cgroup's counters where it has one, else, figure by figure, what its wrapper read (getrusage's children,
 * {@link WrapperStatus}). The cgroup counts every process of the attempt, those still running when the script ended
 * (killed then) included, while the wrapper counts only the processes reaped below it; but {@code memory.peak} is
 * missing where the kernel is older than 5.19 or the memory controller is not enabled for the cgroup (a machine with
 * memory still on cgroup v1), and then the wrapper's figure stands in. Pure.
 */
public final class AttemptUsage {
    /** A cgroup2 {@code cpu.stat} line: a key and a count. */
    private static final Pattern STAT_LINE = Pattern.compile("(?m)^(\\w+) ([0-9]{1,19})$");

    private AttemptUsage() {
    }

    /**
     * The cgroup's counters, from the text of its {@code cpu.stat} ({@code user_usec}, {@code system_usec}, in
     * microseconds), of its {@code memory.peak} (bytes) and of its {@code io.stat} ({@link CgroupIo}); a file that
     * could not be read is null. A figure missing or not a count is null; null when no figure is known at all.
     */
    public static ResourceUsage fromCgroup(String cpuStat, String memoryPeak, String ioStat) {
        Long user = null;
        Long system = null;
        if (cpuStat != null) {
            Matcher m = STAT_LINE.matcher(cpuStat);
            while (m.find()) {
                if (m.group(1).equals("user_usec")) {
                    user = count(m.group(2));
                } else if (m.group(1).equals("system_usec")) {
                    system = count(m.group(2));
                }
            }
        }
        Long peak = memoryPeak == null ? null : count(memoryPeak.strip());
        ProcessIo io = CgroupIo.parse(ioStat).orElse(null);
        return known(new ResourceUsage(user, system, peak, null, io == null ? null : io.readBytes(),
                io == null ? null : io.writeBytes()));
    }

    /**
     * What the runner-finished reports: each figure the cgroup's where it has it, else the wrapper's; null when
     * neither knows any.
     *
     * @param cgroup the cgroup's counters, read just before it was removed; null without a cgroup
     * @param wrapper what the wrapper recorded with the script's end; null when it recorded nothing of it
     */
    public static ResourceUsage reported(ResourceUsage cgroup, ResourceUsage wrapper) {
        if (cgroup == null) {
            return known(wrapper);
        }
        if (wrapper == null) {
            return known(cgroup);
        }
        return known(new ResourceUsage(either(cgroup.userCpuMicros(), wrapper.userCpuMicros()),
                either(cgroup.systemCpuMicros(), wrapper.systemCpuMicros()),
                either(cgroup.maxRssBytes(), wrapper.maxRssBytes()),
                either(cgroup.maxVmSizeBytes(), wrapper.maxVmSizeBytes()),
                either(cgroup.diskReadBytes(), wrapper.diskReadBytes()),
                either(cgroup.diskWriteBytes(), wrapper.diskWriteBytes())));
    }

    /**
     * The usage with the largest virtual memory size the node sampled of the processes ({@code maxVmSizeBytes},
     * protocol.md 10.2), which no wrapper nor cgroup keeps; the usage as it is when none was sampled.
     */
    public static ResourceUsage withVmSize(ResourceUsage usage, Long sampledVmSize) {
        if (sampledVmSize == null) {
            return usage;
        }
        ResourceUsage u = usage == null ? new ResourceUsage(null, null, null) : usage;
        return new ResourceUsage(u.userCpuMicros(), u.systemCpuMicros(), u.maxRssBytes(),
                larger(u.maxVmSizeBytes(), sampledVmSize), u.diskReadBytes(), u.diskWriteBytes());
    }

    /**
     * Two sets of a job's processes as one, as the job's usage counts its remote commands with what ran under its
     * script (protocol.md 10.2): CPU times and disk bytes summed, saturating; the memory peaks the larger, since
     * Slurm's MaxRSS and MaxVMSize are the most one task held, not a sum over nodes. A figure one side lacks is the
     * other's; null only where neither knows it, and null when neither knows any figure.
     */
    public static ResourceUsage combined(ResourceUsage a, ResourceUsage b) {
        if (a == null || b == null) {
            return known(a == null ? b : a);
        }
        return known(new ResourceUsage(sum(a.userCpuMicros(), b.userCpuMicros()),
                sum(a.systemCpuMicros(), b.systemCpuMicros()), larger(a.maxRssBytes(), b.maxRssBytes()),
                larger(a.maxVmSizeBytes(), b.maxVmSizeBytes()), sum(a.diskReadBytes(), b.diskReadBytes()),
                sum(a.diskWriteBytes(), b.diskWriteBytes())));
    }

    /**
     * The usage as one line, {@code USER SYSTEM MAXRSS MAXVMSIZE READ WRITE}, {@code -} for a figure unknown, as a
     * wrapper writes its figures.
     */
    public static String text(ResourceUsage usage) {
        return field(usage.userCpuMicros()) + " " + field(usage.systemCpuMicros()) + " " + field(usage.maxRssBytes())
                + " " + field(usage.maxVmSizeBytes()) + " " + field(usage.diskReadBytes()) + " "
                + field(usage.diskWriteBytes());
    }

    /**
     * The usage {@link #text} wrote, or its first three figures as a runner before the virtual memory and disk figures
     * wrote it; null when the text is no such line (cut short, damaged) or knows no figure.
     */
    public static ResourceUsage parseText(String text) {
        String[] f = text.strip().split(" ", -1);
        if (f.length != 3 && f.length != 6) {
            return null;
        }
        Long[] figures = new Long[6];
        for (int i = 0; i < f.length; i++) {
            if (!f[i].equals(WrapperStatus.UNKNOWN)) {
                figures[i] = count(f[i]);
                if (figures[i] == null) {
                    return null;
                }
            }
        }
        return known(new ResourceUsage(figures[0], figures[1], figures[2], figures[3], figures[4], figures[5]));
    }

    private static String field(Long figure) {
        return figure == null ? WrapperStatus.UNKNOWN : figure.toString();
    }

    private static Long sum(Long a, Long b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    private static Long larger(Long a, Long b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Math.max(a, b);
    }

    private static Long either(Long preferred, Long otherwise) {
        return preferred != null ? preferred : otherwise;
    }

    /** The usage, or null when it knows no figure: the protocol's "could not tell". */
    private static ResourceUsage known(ResourceUsage usage) {
        return usage == null || usage.unknown() ? null : usage;
    }

    static Long count(String text) {
        if (!text.matches("[0-9]{1,19}")) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null; // past a long: no count a kernel writes
        }
    }
}
