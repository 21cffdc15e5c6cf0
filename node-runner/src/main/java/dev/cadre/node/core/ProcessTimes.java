package dev.cadre.node.core;

import dev.cadre.protocol.ResourceUsage;
import java.util.List;
import java.util.Optional;

/**
 * The CPU times of one live process, from its {@code /proc/PID/stat}, in clock ticks (USER_HZ, {@code getconf
 * CLK_TCK}): its own (fields 14 and 15, utime and stime, every thread of it) and those of the children it has
 * reaped (fields 16 and 17, cutime and cstime), with its start time (field 22), by which a process is told from a
 * later one given its pid. Summed over the live processes of a session, these count every process of it that ended
 * and was reaped inside it, and none twice: a child's times pass to its parent's only once it is reaped, when it is
 * no longer listed. What a reading of a running attempt's usage goes by where it has no cgroup (protocol.md 15.2).
 * Pure.
 *
 * @param startTicks when the process started, in clock ticks after boot
 */
public record ProcessTimes(long userTicks, long systemTicks, long reapedUserTicks, long reapedSystemTicks,
        long startTicks) {
    /** The fields, counted from the state (field 3) on: utime is field 14, so the 11th after the state. */
    private static final int UTIME = 11;
    private static final int STARTTIME = 19;
    private static final long MICROS_PER_SECOND = 1_000_000;

    /**
     * The times in the text of a {@code /proc/PID/stat}; empty when it is no such line (cut short, damaged). The
     * command name (field 2) is in parentheses and may hold spaces and parentheses itself, so the fields are read
     * after the last ')'.
     */
    public static Optional<ProcessTimes> parse(String stat) {
        if (stat == null) {
            return Optional.empty();
        }
        int close = stat.lastIndexOf(')');
        if (close < 0 || stat.indexOf('(') < 0 || stat.indexOf('(') > close) {
            return Optional.empty();
        }
        String[] fields = stat.substring(close + 1).strip().split(" +");
        if (fields.length <= STARTTIME) {
            return Optional.empty();
        }
        long[] counts = new long[5];
        int[] at = {UTIME, UTIME + 1, UTIME + 2, UTIME + 3, STARTTIME};
        for (int i = 0; i < at.length; i++) {
            counts[i] = count(fields[at[i]]);
            if (counts[i] < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(new ProcessTimes(counts[0], counts[1], counts[2], counts[3], counts[4]));
    }

    /**
     * Only the times of the children it reaped: for a wrapper of Cadre's, whose own CPU is not the job's but whose
     * reaped children (the script, orphans it adopted as the job's subreaper) are.
     */
    public ProcessTimes reapedOnly() {
        return new ProcessTimes(0, 0, reapedUserTicks, reapedSystemTicks, startTicks);
    }

    /**
     * The processes' times together as a usage: user and system time in microseconds, no memory peak (no process
     * keeps one for itself and its children both); null for no process.
     *
     * @param ticksPerSecond USER_HZ, the unit of /proc/PID/stat's times
     */
    public static ResourceUsage usage(List<ProcessTimes> processes, long ticksPerSecond) {
        if (ticksPerSecond <= 0) {
            throw new IllegalArgumentException("clock ticks per second must be positive, not " + ticksPerSecond);
        }
        if (processes.isEmpty()) {
            return null;
        }
        long user = 0;
        long system = 0;
        for (ProcessTimes p : processes) {
            user = sum(sum(user, p.userTicks), p.reapedUserTicks);
            system = sum(sum(system, p.systemTicks), p.reapedSystemTicks);
        }
        return new ResourceUsage(micros(user, ticksPerSecond), micros(system, ticksPerSecond), null);
    }

    private static long micros(long ticks, long ticksPerSecond) {
        long whole = ticks / ticksPerSecond;
        if (whole > Long.MAX_VALUE / MICROS_PER_SECOND - 1) {
            return Long.MAX_VALUE;
        }
        return whole * MICROS_PER_SECOND + ticks % ticksPerSecond * MICROS_PER_SECOND / ticksPerSecond;
    }

    private static long sum(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /**
     * The count in a field, or -1 when it is none (the kernel writes these as decimal counts, never negative); also
     * the counts of /proc/PID/io and status ({@link ProcessIo}, {@link VirtualMemory}).
     */
    static long count(String field) {
        if (!field.matches("[0-9]{1,19}")) {
            return -1;
        }
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            return -1; // past a long
        }
    }
}
