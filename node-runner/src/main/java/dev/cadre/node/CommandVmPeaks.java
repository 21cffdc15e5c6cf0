package dev.cadre.node;

import dev.cadre.node.core.AttemptUsage;
import dev.cadre.protocol.ExecMessage;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The largest virtual memory size sampled of each attempt's remote commands on a node that does not run its script,
 * told in their exits ({@code maxVmSizeBytes}, protocol.md 13.7): no wrapper nor cgroup keeps a virtual memory peak,
 * and the node of the script samples only what runs there, so without these samples the ranks of an MPI job on its
 * other nodes, most of its memory, would be missing from its MaxVMSize.
 *
 * <p>A sample is the sum over the attempt's commands here, as the script's node sums its processes; each exit tells
 * the peak so far, so the last command to end tells the attempt's peak here, and the script's node keeps the largest
 * figure it is told ({@link AttemptUsage#combined}).
 */
final class CommandVmPeaks {
    private final Map<String, Long> peaks = new ConcurrentHashMap<>();

    /** Samples the attempt's commands here (their pids, wrappers left out); a sample finding none counts nothing. */
    void sample(long jobId, int attempt, List<Long> pids) {
        Long size = pids.isEmpty() ? null : ResidentMemory.virtualSize(pids, 0);
        if (size != null) {
            peaks.merge(HeldAttempts.key(jobId, attempt), size, Math::max);
        }
    }

    /** The reply with the attempt's peak here in its usage when it is an exit and a sample was taken, else itself. */
    ExecMessage told(long jobId, int attempt, ExecMessage reply) {
        Long peak = peaks.get(HeldAttempts.key(jobId, attempt));
        if (peak == null || !(reply instanceof ExecMessage.ExecExit x)) {
            return reply;
        }
        return new ExecMessage.ExecExit(x.requestId(), x.exitCode(), x.signal(), x.error(), x.killedFor(),
                AttemptUsage.withVmSize(x.usage(), peak));
    }

    /** Forgets the attempts not among these keys ({@link HeldAttempts#key}): released, their commands are over. */
    void retain(Collection<String> keys) {
        peaks.keySet().retainAll(keys);
    }
}
