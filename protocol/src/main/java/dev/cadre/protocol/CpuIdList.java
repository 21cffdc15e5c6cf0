package dev.cadre.protocol;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Sets of CPU ids in Linux's list format ({@code 0-3,8,10-11}, empty for none): how a node says which CPUs an
 * attempt is bound to (runner-running's and node-heartbeat's {@code cpus}), and how scontrol shows them (Slurm's
 * CPU_IDs, which its bit_fmt writes the same way). The node's own reads of {@code /proc} use the same rules.
 */
public final class CpuIdList {
    /** The most CPU ids a list may name, as far above any machine's as the kernel's own limit (8192). */
    public static final int MAX_CPU = 8191;

    private CpuIdList() {
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
                throw new IllegalArgumentException("'" + part + "' of the CPU list '" + PrintableText.masked(text)
                        + "' runs backwards");
            }
            for (int cpu = first; cpu <= last; cpu++) {
                ids.add(cpu);
            }
        }
        return Collections.unmodifiableSortedSet(ids);
    }

    /** Null when the text is a CPU list (the empty one included), else why not, the text masked for printing. */
    public static String problem(String text) {
        try {
            parse(text);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The text as a node-runner writes it: runs of ids as ranges, in order, each id once. */
    public static String normalized(String text) {
        return format(parse(text));
    }

    private static int id(String word, String text) {
        if (word.isEmpty() || word.length() > 4 || !word.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(word) > MAX_CPU) {
            throw new IllegalArgumentException("'" + PrintableText.masked(word) + "' of the CPU list '"
                    + PrintableText.masked(text) + "' is no CPU id from 0 to " + MAX_CPU);
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
}
