package dev.cadre.node.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * srun's --cpu-bind, read as Slurm's slurm_verify_cpu_bind reads it (src/common/proc_args.c): comma-separated words,
 * case ignored, where a comma followed by a digit belongs to a map_cpu or mask_cpu list, and {@code VALUE*N} in a list
 * stands for N copies of it. The last of quiet and verbose wins, as does the last binding type and the last unit.
 * Slurm's socket and NUMA bindings (sockets, ldoms, rank, rank_ldom, map_ldom, mask_ldom) need a topology Cadre's
 * nodes do not keep, so they are refused, naming the word, rather than ignored. Pure.
 *
 * @param list map_cpu's CPU ids or mask_cpu's masks, one per local task (wrapping), empty for the other types
 */
public record CpuBind(boolean verbose, Type type, Unit unit, List<BigInteger> list) {
    /** What binds the tasks. */
    public enum Type {
        /** No type given: the node lays the tasks out over the job's CPUs when they fill them. */
        AUTO,
        /** Every task keeps all of the job's CPUs on the node. */
        NONE,
        /** Task N gets the CPU id at N of the list. */
        MAP,
        /** Task N gets the CPUs of the mask at N of the list. */
        MASK
    }

    /** What the layout gives each task: Cadre counts each CPU id as a core, so both are single CPU ids. */
    public enum Unit {
        DEFAULT, CORES, THREADS
    }

    public CpuBind {
        list = List.copyOf(list);
    }

    /** No --cpu-bind: Slurm's automatic binding. */
    public static final CpuBind DEFAULT = new CpuBind(false, Type.AUTO, Unit.DEFAULT, List.of());

    /**
     * @throws IllegalArgumentException naming the word that is not understood or not supported
     */
    public static CpuBind parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty --cpu-bind");
        }
        boolean verbose = false;
        Type type = Type.AUTO;
        Unit unit = Unit.DEFAULT;
        List<BigInteger> list = List.of();
        for (String word : words(text)) {
            String w = word.toLowerCase(Locale.ROOT);
            String name = w.split("[:=]", 2)[0];
            switch (name) {
                case "q", "quiet" -> verbose = false;
                case "v", "verbose" -> verbose = true;
                case "no", "none" -> {
                    type = Type.NONE;
                    list = List.of();
                }
                case "map_cpu", "mapcpu", "mask_cpu", "maskcpu" -> {
                    type = name.startsWith("map") ? Type.MAP : Type.MASK;
                    list = values(word, type == Type.MAP);
                }
                case "core", "cores" -> unit = Unit.CORES;
                case "thread", "threads" -> unit = Unit.THREADS;
                case "socket", "sockets", "ldom", "ldoms", "rank", "rank_ldom", "map_ldom", "mapldom", "mask_ldom",
                        "maskldom", "one_thread", "board", "boards" -> throw new IllegalArgumentException(
                        "--cpu-bind=" + word + " is not supported by Cadre, whose nodes know no sockets or NUMA"
                                + " domains (none, cores, threads, map_cpu and mask_cpu are)");
                default -> throw new IllegalArgumentException("unrecognized --cpu-bind argument \"" + word + "\"");
            }
        }
        return new CpuBind(verbose, type, unit, list);
    }

    /** Slurm's split: a comma not followed by a digit separates words, one followed by a digit a list's values. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean value = isValue(text, i + 1);
            if (c == ';' || (c == ',' && !value)) {
                words.add(word.toString());
                word.setLength(0);
            } else {
                word.append(c);
            }
        }
        words.add(word.toString());
        return words;
    }

    /** Slurm's _isvalue: a digit, or hexadecimal digits up to the next comma or the end. */
    private static boolean isValue(String text, int from) {
        if (from < text.length() && Character.isDigit(text.charAt(from))) {
            return true;
        }
        int i = from;
        while (i < text.length() && Character.digit(text.charAt(i), 16) >= 0) {
            i++;
        }
        return i == text.length() || text.charAt(i) == ',';
    }

    private static List<BigInteger> values(String word, boolean ids) {
        String[] parts = word.split("[:=]", 2);
        if (parts.length < 2 || parts[1].isEmpty()) {
            throw new IllegalArgumentException("missing list for \"--cpu-bind=" + parts[0] + ":<list>\"");
        }
        return BindList.CPUS.read(parts[1], !ids, word);
    }
}
