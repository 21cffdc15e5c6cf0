package dev.cadre.node.core;

import java.util.List;
import java.util.Optional;

/**
 * What one live process has read from and written to storage, from its {@code /proc/PID/io}: {@code read_bytes} and
 * {@code write_bytes}, every thread of it and the children it has reaped (the kernel adds a child's counts to its
 * parent's when the parent reaps it), so that summed over the live processes of a job these count every process of it
 * that ended and was reaped inside it, and none twice, as {@link ProcessTimes} does for CPU. Bytes fetched from or
 * sent towards the block layer: reads the page cache answered, pipes and sockets do not count, and a tmpfs counts
 * nothing (Slurm's rchar and wchar count all of those). What a reading of a running attempt's disk figures goes by
 * (protocol.md 15.2). Pure.
 */
public record ProcessIo(long readBytes, long writeBytes) {
    public ProcessIo {
        if (readBytes < 0 || writeBytes < 0) {
            throw new IllegalArgumentException("byte counts must be 0 or more, not " + readBytes + " and "
                    + writeBytes);
        }
    }

    /**
     * The counts in the text of a {@code /proc/PID/io}; empty when it lacks either line (cut short, damaged, or a
     * kernel without task I/O accounting).
     */
    public static Optional<ProcessIo> parse(String io) {
        if (io == null) {
            return Optional.empty();
        }
        long read = -1;
        long write = -1;
        for (String line : io.split("\n")) {
            if (line.startsWith("read_bytes:")) {
                read = ProcessTimes.count(line.substring("read_bytes:".length()).strip());
            } else if (line.startsWith("write_bytes:")) {
                write = ProcessTimes.count(line.substring("write_bytes:".length()).strip());
            }
        }
        return read < 0 || write < 0 ? Optional.empty() : Optional.of(new ProcessIo(read, write));
    }

    /** The processes' counts together, saturating rather than wrapping; null for no process. */
    public static ProcessIo sum(List<ProcessIo> processes) {
        if (processes.isEmpty()) {
            return null;
        }
        long read = 0;
        long write = 0;
        for (ProcessIo p : processes) {
            read = read > Long.MAX_VALUE - p.readBytes ? Long.MAX_VALUE : read + p.readBytes;
            write = write > Long.MAX_VALUE - p.writeBytes ? Long.MAX_VALUE : write + p.writeBytes;
        }
        return new ProcessIo(read, write);
    }
}
