package dev.cadre.node.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a cgroup's processes read from and wrote to storage, from its cgroup2 {@code io.stat}: one line per block
 * device ({@code 8:0 rbytes=N wbytes=N rios=N ...}), summed over the devices. The file is there only where the io
 * controller is enabled for the cgroup on cgroup2 (not on a machine that keeps blkio on cgroup v1); an empty one
 * means nothing was read or written, since the kernel lists a device only once the cgroup used it. Like
 * /proc/PID/io's read_bytes and write_bytes ({@link ProcessIo}), block-layer bytes: page cache hits and tmpfs count
 * nothing. Pure.
 */
public final class CgroupIo {
    private static final Pattern FIGURE = Pattern.compile("\\b(rbytes|wbytes)=([0-9]{1,19})\\b");

    private CgroupIo() {
    }

    /** The summed counts of the text of an {@code io.stat}; empty when it could not be read (null). */
    public static Optional<ProcessIo> parse(String ioStat) {
        if (ioStat == null) {
            return Optional.empty();
        }
        long read = 0;
        long write = 0;
        Matcher m = FIGURE.matcher(ioStat);
        while (m.find()) {
            Long bytes = AttemptUsage.count(m.group(2));
            if (bytes == null) {
                return Optional.empty(); // past a long: no count a kernel writes
            }
            if (m.group(1).equals("rbytes")) {
                read = read > Long.MAX_VALUE - bytes ? Long.MAX_VALUE : read + bytes;
            } else {
                write = write > Long.MAX_VALUE - bytes ? Long.MAX_VALUE : write + bytes;
            }
        }
        return Optional.of(new ProcessIo(read, write));
    }
}
