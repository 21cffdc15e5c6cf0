package dev.cadre.node.core;

import dev.cadre.protocol.CpuIdList;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Sets of CPU ids in the forms Linux writes them: the list format of {@code /proc/PID/status}'s
 * {@code Cpus_allowed_list} and of cpuset files ({@code 0-3,8,10-11}), read and written by the protocol's {@link
 * CpuIdList} (runner events carry them so), and the comma-separated ids the job launcher takes ({@link LauncherWire}).
 */
public final class CpuList {
    /** The most CPU ids a list may name, as far above any machine's as the kernel's own limit (8192). */
    public static final int MAX_CPU = CpuIdList.MAX_CPU;

    private CpuList() {
    }

    /**
     * @param text the list format, empty for no CPU
     * @throws IllegalArgumentException naming the part that is no id or range of ids up to {@value #MAX_CPU}
     */
    public static SortedSet<Integer> parse(String text) {
        return CpuIdList.parse(text);
    }

    /** The list format, runs of ids as ranges: {@code 0-3,8}; empty for no CPU. */
    public static String format(Set<Integer> cpus) {
        return CpuIdList.format(cpus);
    }

    /** The ids one by one, comma-separated, as the job launcher's wrappers read them; empty for none. */
    public static String wire(Set<Integer> cpus) {
        return new TreeSet<>(cpus).stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * The {@code Cpus_allowed_list} of a {@code /proc/PID/status}: the CPUs the process may run on; empty when the
     * text has no such line or it cannot be read.
     */
    public static Optional<SortedSet<Integer>> fromStatus(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Cpus_allowed_list:")) {
                try {
                    SortedSet<Integer> cpus = parse(line.substring("Cpus_allowed_list:".length()));
                    return cpus.isEmpty() ? Optional.empty() : Optional.of(cpus);
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
