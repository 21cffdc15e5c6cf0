package dev.cadre.protocol;

/**
 * What processes used: CPU time in user and kernel mode, and the most resident memory at once. On runner-finished,
 * an attempt's: its processes on the node that ran its script (the batch step, in Slurm's terms), where the attempt
 * has a cgroup the cgroup's figures, every process of it together, those still running at its end included, else
 * those of the script and every process of it that ended before it (getrusage's children), the memory figure being
 * the largest one process reached; with them, its remote commands' (MPI daemons and ranks started through
 * cadre-rsh), CPU times and disk bytes summed and the memory figures the largest of any (protocol.md 10.2). On
 * exec-exit, one remote command's (13.7). A figure the node could not read is null; a node from before the virtual
 * memory and disk figures sends none, which reads as null.
 *
 * @param userCpuMicros CPU time in user mode, in microseconds
 * @param systemCpuMicros CPU time in kernel mode, in microseconds
 * @param maxRssBytes the peak resident memory, in bytes
 * @param maxVmSizeBytes the largest virtual memory size the node sampled, the processes' VmSize summed, in bytes
 * @param diskReadBytes the bytes read from storage (read_bytes of /proc/PID/io, or a cgroup's io.stat rbytes)
 * @param diskWriteBytes the bytes written to storage (write_bytes, or io.stat's wbytes)
 */
public record ResourceUsage(Long userCpuMicros, Long systemCpuMicros, Long maxRssBytes, Long maxVmSizeBytes,
        Long diskReadBytes, Long diskWriteBytes) {
    public ResourceUsage {
        notNegative("userCpuMicros", userCpuMicros);
        notNegative("systemCpuMicros", systemCpuMicros);
        notNegative("maxRssBytes", maxRssBytes);
        notNegative("maxVmSizeBytes", maxVmSizeBytes);
        notNegative("diskReadBytes", diskReadBytes);
        notNegative("diskWriteBytes", diskWriteBytes);
    }

    /** CPU times and resident peak only, the virtual memory and disk figures unknown. */
    public ResourceUsage(Long userCpuMicros, Long systemCpuMicros, Long maxRssBytes) {
        this(userCpuMicros, systemCpuMicros, maxRssBytes, null, null, null);
    }

    /** Whether no figure is known: the protocol's "could not tell", sent as no usage. */
    public boolean unknown() {
        return userCpuMicros == null && systemCpuMicros == null && maxRssBytes == null && maxVmSizeBytes == null
                && diskReadBytes == null && diskWriteBytes == null;
    }

    /** User and system CPU time together, or null when neither is known. */
    public Long totalCpuMicros() {
        if (userCpuMicros == null && systemCpuMicros == null) {
            return null;
        }
        long user = userCpuMicros == null ? 0 : userCpuMicros;
        long system = systemCpuMicros == null ? 0 : systemCpuMicros;
        // Each is at most Long.MAX_VALUE: their sum saturates rather than wraps negative.
        return user > Long.MAX_VALUE - system ? Long.MAX_VALUE : user + system;
    }

    /** Refuses a negative figure by name; also usage-reading's ({@link UsageMessage.UsageReading}). */
    static void notNegative(String field, Long value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(field + " must be 0 or more, not " + value);
        }
    }
}
