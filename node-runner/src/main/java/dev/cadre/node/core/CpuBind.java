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
    /** The most entries a list may hold, far above the tasks of any node. */
    public static final int MAX_LIST = 4096;

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
        List<BigInteger> values = new ArrayList<>();
        for (String item : parts[1].split(",", -1)) {
            int star = item.indexOf('*');
            BigInteger value = value(star < 0 ? item : item.substring(0, star), ids, word);
            int times = star < 0 ? 1 : repeat(item.substring(star + 1), word);
            for (int i = 0; i < times; i++) {
                values.add(value);
            }
            if (values.size() > MAX_LIST) {
                throw new IllegalArgumentException("--cpu-bind=" + parts[0] + " lists more than " + MAX_LIST
                        + " values");
            }
        }
        return values;
    }

    /** map_cpu's ids are decimal, or hexadecimal after 0x; mask_cpu's masks hexadecimal, with or without 0x. */
    private static BigInteger value(String item, boolean ids, String word) {
        boolean hex = item.regionMatches(true, 0, "0x", 0, 2);
        String digits = hex ? item.substring(2) : item;
        try {
            BigInteger v = new BigInteger(digits, hex || !ids ? 16 : 10);
            if (v.signum() < 0 || (ids && v.compareTo(BigInteger.valueOf(CpuList.MAX_CPU)) > 0)
                    || v.bitLength() > CpuList.MAX_CPU + 1 || (!ids && v.signum() == 0)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + item + "' in --cpu-bind=" + word + " is no "
                    + (ids ? "CPU id (0-" + CpuList.MAX_CPU + ")" : "CPU mask (hexadecimal, not 0)"));
        }
    }

    private static int repeat(String count, String word) {
        try {
            int n = Integer.parseInt(count);
            if (n >= 1 && n <= MAX_LIST) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new IllegalArgumentException("'*" + count + "' in --cpu-bind=" + word + " is no repetition count (1-"
                + MAX_LIST + ")");
    }
}
