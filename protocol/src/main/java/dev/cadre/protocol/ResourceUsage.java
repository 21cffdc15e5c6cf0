package dev.cadre.protocol;

/**
 * What an attempt's processes used on the node that ran its script (the batch step, in Slurm's terms): CPU time in
 * user and kernel mode, and the most resident memory at once. Where the attempt has a cgroup the figures are the
 * cgroup's, every process of it together, those still running at its end included; else they are those of the
 * script and every process of it that ended before it (getrusage's children), the memory figure being the largest
 * one process reached. A figure the node could not read is null. Remote commands on other nodes (MPI ranks started
 * through cadre-rsh) are not counted.
 *
 * @param userCpuMicros CPU time in user mode, in microseconds
 * @param systemCpuMicros CPU time in kernel mode, in microseconds
 * @param maxRssBytes the peak resident memory, in bytes
 */
public record ResourceUsage(Long userCpuMicros, Long systemCpuMicros, Long maxRssBytes) {
    public ResourceUsage {
        notNegative("userCpuMicros", userCpuMicros);
        notNegative("systemCpuMicros", systemCpuMicros);
        notNegative("maxRssBytes", maxRssBytes);
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

    private static void notNegative(String field, Long value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(field + " must be 0 or more, not " + value);
        }
    }
}
