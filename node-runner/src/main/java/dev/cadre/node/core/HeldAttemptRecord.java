package dev.cadre.node.core;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The text of the record a node keeps of an attempt it holds for another node's job ({@code JOB-ATTEMPT.held}):
 * a line {@code cpus LIST} when its remote commands here are bound to CPUs, a line {@code gpus LIST} when they are
 * given GPUs, both in Linux's list format, then its place-job. A record without either line holds none, as an older
 * runner's.
 *
 * @param place the place-job as JSON
 */
public record HeldAttemptRecord(SortedSet<Integer> cpus, SortedSet<Integer> gpus, String place) {
    private static final String CPUS = "cpus ";
    private static final String GPUS = "gpus ";

    public HeldAttemptRecord {
        cpus = Collections.unmodifiableSortedSet(new TreeSet<>(cpus));
        gpus = Collections.unmodifiableSortedSet(new TreeSet<>(gpus));
    }

    public String text() {
        return (cpus.isEmpty() ? "" : CPUS + CpuList.format(cpus) + "\n")
                + (gpus.isEmpty() ? "" : GPUS + CpuList.format(gpus) + "\n") + place;
    }

    /** @throws IllegalArgumentException when a CPU or GPU line holds no list */
    public static HeldAttemptRecord parse(String text) {
        int cpusEnd = lineEnd(text, 0, CPUS);
        int gpusEnd = lineEnd(text, cpusEnd, GPUS);
        return new HeldAttemptRecord(list(text, 0, cpusEnd, CPUS), list(text, cpusEnd, gpusEnd, GPUS),
                text.substring(gpusEnd));
    }

    /** Where the line at {@code from} ends, past its newline, when it starts with {@code key}; else {@code from}. */
    private static int lineEnd(String text, int from, String key) {
        int newline = text.indexOf('\n', from);
        return text.startsWith(key, from) && newline > 0 ? newline + 1 : from;
    }

    private static SortedSet<Integer> list(String text, int from, int end, String key) {
        return end == from ? Collections.emptySortedSet() : CpuList.parse(text.substring(from + key.length(), end));
    }
}
