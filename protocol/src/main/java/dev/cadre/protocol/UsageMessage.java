package dev.cadre.protocol;

import java.time.Instant;
import java.util.List;

/**
 * Reading what a running attempt has used so far, where it runs (sstat): the head sends read-usage to each node of
 * the allocation, on the node's output queue ({@link Destinations#outputQueue}); each node answers one usage-reading
 * on the request's reply-to with what the attempt's processes on it have used, read when the request came.
 */
public sealed interface UsageMessage extends Message {
    /** The most pids one usage-reading lists: the message stays far below the 1 MiB a body may have. */
    int MAX_PIDS = 10_000;

    /** @param attempt the attempt, at least 1 */
    record ReadUsage(long jobId, int attempt) implements UsageMessage {
    }

    /**
     * @param running whether any process of the attempt runs on the node now
     * @param absent the node has no record of the attempt: it never ran there, has not started yet, or has ended
     *        and been cleared; {@code error} then says which the node knows
     * @param usage what the attempt's processes on the node have used so far, those that ended included: CPU times,
     *        and the peak resident memory where the kernel keeps one (a cgroup's memory.peak), else null; null when
     *        nothing could be read
     * @param rssBytes the resident memory of the attempt's processes on the node now, summed; null when unknown
     * @param vmSizeBytes the virtual memory of the attempt's processes on the node now, their VmSize summed; null
     *        when unknown (a node from before it)
     * @param diskReadBytes what the attempt's processes on the node now, with the children they reaped, have read
     *        from storage (read_bytes of /proc/PID/io), summed; null when none could be read (a node from before it)
     * @param diskWriteBytes as {@code diskReadBytes}, written to storage (write_bytes)
     * @param pids the attempt's processes on the node now, Cadre's own wrappers left out; at most {@link #MAX_PIDS}
     * @param time when the node read them
     * @param error why nothing was read; null on success
     */
    record UsageReading(long jobId, int attempt, boolean running, boolean absent, ResourceUsage usage, Long rssBytes,
            Long vmSizeBytes, Long diskReadBytes, Long diskWriteBytes, List<Long> pids, Instant time, String error)
            implements UsageMessage {
        public UsageReading {
            pids = pids == null ? List.of() : List.copyOf(pids);
            if (pids.size() > MAX_PIDS) {
                throw new IllegalArgumentException("pids lists " + pids.size() + " processes; the limit is "
                        + MAX_PIDS);
            }
            ResourceUsage.notNegative("rssBytes", rssBytes);
            ResourceUsage.notNegative("vmSizeBytes", vmSizeBytes);
            ResourceUsage.notNegative("diskReadBytes", diskReadBytes);
            ResourceUsage.notNegative("diskWriteBytes", diskWriteBytes);
        }
    }
}
