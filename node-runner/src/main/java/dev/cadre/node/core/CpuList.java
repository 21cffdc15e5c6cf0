package dev.cadre.node.core;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Sets of CPU ids in the forms Linux writes them: the list format of {@code /proc/PID/status}'s
 * {@code Cpus_allowed_list} and of cpuset files ({@code 0-3,8,10-11}), and the comma-separated ids the job launcher
 * takes ({@link LauncherWire}).
 */
public final class CpuList {
    /** The most CPU ids a list may name, as far above any machine's as the kernel's own limit (8192). */
    public static final int MAX_CPU = 8191;

    private CpuList() {
    }

    /**
     * @param text the list format, empty for no CPU
     * @throws IllegalArgumentException naming the part that is no id or range of ids up to {@value #MAX_CPU}
     */
    public static SortedSet<Integer> parse(String text) {
        SortedSet<Integer> ids = new TreeSet<>();
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return Collections.unmodifiableSortedSet(ids);
        }
        for (String part : trimmed.split(",", -1)) {
            int dash = part.indexOf('-');
            int first = id(dash < 0 ? part : part.substring(0, dash), text);
            int last = dash < 0 ? first : id(part.substring(dash + 1), text);
            if (last < first) {
                throw new IllegalArgumentException("'" + part + "' of the CPU list '" + text + "' runs backwards");
            }
            for (int cpu = first; cpu <= last; cpu++) {
                ids.add(cpu);
            }
        }
        return Collections.unmodifiableSortedSet(ids);
    }

    private static int id(String word, String text) {
        if (word.isEmpty() || word.length() > 4 || !word.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(word) > MAX_CPU) {
            throw new IllegalArgumentException("'" + word + "' of the CPU list '" + text + "' is no CPU id from 0 to "
                    + MAX_CPU);
        }
        return Integer.parseInt(word);
    }

    /** The list format, runs of ids as ranges: {@code 0-3,8}; empty for no CPU. */
    public static String format(Set<Integer> cpus) {
        StringBuilder out = new StringBuilder();
        Integer start = null;
        Integer previous = null;
        for (int cpu : new TreeSet<>(cpus)) {
            if (previous != null && cpu == previous + 1) {
                previous = cpu;
                continue;
            }
            appendRun(out, start, previous);
            start = cpu;
            previous = cpu;
        }
        appendRun(out, start, previous);
        return out.toString();
    }

    private static void appendRun(StringBuilder out, Integer start, Integer end) {
        if (start == null) {
            return;
        }
        if (out.length() > 0) {
            out.append(',');
        }
        out.append(start);
        if (!start.equals(end)) {
            out.append('-').append(end);
        }
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
