package dev.cadre.node.core;

import java.util.OptionalLong;

/**
 * A process's virtual memory, from its {@code /proc/PID/status}: the {@code VmSize} line, in kB (KiB), which is what
 * Slurm's MaxVMSize and AveVMSize measure (the same figure as field 23 of /proc/PID/stat, in bytes). Pure.
 */
public final class VirtualMemory {
    private static final String FIELD = "VmSize:";

    private VirtualMemory() {
    }

    /**
     * The size in bytes the text of a {@code /proc/PID/status} gives; empty when it has no such line: a kernel thread
     * or a zombie, which hold no memory of their own, or a text cut short. The kernel escapes a newline in the
     * command name (the Name line), so only the real field starts a line with {@code VmSize:}.
     */
    public static OptionalLong sizeBytes(String status) {
        if (status == null) {
            return OptionalLong.empty();
        }
        for (String line : status.split("\n")) {
            if (line.startsWith(FIELD)) {
                String value = line.substring(FIELD.length()).strip();
                if (!value.endsWith(" kB")) {
                    return OptionalLong.empty();
                }
                long kib = ProcessTimes.count(value.substring(0, value.length() - 3).strip());
                if (kib < 0) {
                    return OptionalLong.empty();
                }
                return OptionalLong.of(kib > Long.MAX_VALUE / 1024 ? Long.MAX_VALUE : kib * 1024);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The size in bytes the text of a {@code /proc/PID/statm} gives: its first field, in pages, the same figure as
     * VmSize. Empty for a text that is no statm (cut short, damaged); a zombie's or kernel thread's is 0.
     */
    public static OptionalLong fromStatm(String statm, long pageSize) {
        if (statm == null || pageSize <= 0) {
            return OptionalLong.empty();
        }
        String[] fields = statm.strip().split("\\s+");
        long pages = ProcessTimes.count(fields[0]);
        if (pages < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(pages > Long.MAX_VALUE / pageSize ? Long.MAX_VALUE : pages * pageSize);
    }
}
