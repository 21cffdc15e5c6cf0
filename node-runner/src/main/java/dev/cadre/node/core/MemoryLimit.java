package dev.cadre.node.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.util.List;
import java.util.Optional;

/**
 * A job's memory request as this node enforces it: the resident memory of all the attempt's processes here, read
 * every interval, against the request (spec.memoryMb, which is per node: sbatch folds --mem-per-cpu into it; for
 * an exclusive job see {@link #onNode}). Over
 * it, the attempt is killed at once and ends OUT_OF_MEMORY, as Slurm's JobAcctGatherParams=OverMemoryKill does.
 * Pure: the readings come in, a decision goes out.
 *
 * @param limitBytes the request in bytes; Slurm's M is a MiB, and so is Cadre's memoryMb
 */
public record MemoryLimit(long limitBytes) {
    private static final long MIB = 1024L * 1024;

    public MemoryLimit {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("a memory limit must be positive, not " + limitBytes + " bytes");
        }
    }

    /** The job's limit on each of its nodes; empty for a job without a memory request, which is not watched. */
    public static Optional<MemoryLimit> of(JobSpec spec) {
        Long mb = spec.memoryMb();
        if (mb == null || mb <= 0) {
            return Optional.empty();
        }
        return Optional.of(new MemoryLimit(mb > Long.MAX_VALUE / MIB ? Long.MAX_VALUE : mb * MIB));
    }

    /**
     * The job's limit on one node of its allocation: that node's share (its slot's memoryMb) when the allocation
     * gives one, else the request. An exclusive job's slots hold their nodes' whole memory, but, as in Slurm,
     * --exclusive takes a node's CPUs and only the memory asked for: --mem on every node, or --mem-per-cpu times the
     * node's CPUs (its slot's cpus, all of the node's), which the node running its script enforces too. Empty for a
     * job without a memory request, which is not watched on any node.
     */
    public static Optional<MemoryLimit> onNode(JobSpec spec, Allocation allocation, String nodeId) {
        Optional<MemoryLimit> requested = of(spec);
        if (requested.isEmpty() || allocation == null) {
            return requested;
        }
        Optional<Allocation.NodeSlots> slot = allocation.nodes().stream().filter(n -> n.nodeId().equals(nodeId))
                .findFirst();
        if (slot.isEmpty()) {
            return requested;
        }
        if (spec.wholeNodes()) {
            Long perCpu = spec.memoryPerCpuMb();
            int cpus = slot.get().cpus();
            return perCpu == null || perCpu <= 0 || cpus <= 0 ? requested
                    : of(spec.toBuilder().memoryMb(perCpu > Long.MAX_VALUE / cpus ? Long.MAX_VALUE : perCpu * cpus)
                    .build());
        }
        long share = slot.get().memoryMb();
        return share > 0 ? of(spec.toBuilder().memoryMb(share).build()) : requested;
    }

    /** What one reading calls for. */
    public sealed interface Decision {
    }

    /** Within the request: nothing to do. */
    public record Within(long usedBytes) implements Decision {
    }

    /** Over the request: kill the attempt, and say this. */
    public record Exceeded(long usedBytes, long limitBytes) implements Decision {
        public String error() {
            return "used " + mebibytes(usedBytes) + " MiB of its " + mebibytes(limitBytes) + " MiB memory limit";
        }

        /** The same, naming the node: the job's processes there, not on the node that reports its end. */
        public String errorOn(String host) {
            return error() + " on node " + host;
        }
    }

    /** @param usedBytes the resident memory of all the attempt's processes on this node, summed */
    public Decision check(long usedBytes) {
        return usedBytes > limitBytes ? new Exceeded(usedBytes, limitBytes) : new Within(usedBytes);
    }

    /**
     * The resident bytes one /proc/PID/statm text gives: its second field, in pages. Text that is not statm's (a
     * process that ended mid-read leaves it empty) counts as nothing: a process gone holds no memory.
     */
    public static long residentBytes(String statm, long pageSize) {
        String[] fields = statm == null ? new String[0] : statm.strip().split("\\s+");
        if (fields.length < 2) {
            return 0;
        }
        try {
            return Math.max(0, Math.multiplyExact(Long.parseLong(fields[1]), pageSize));
        } catch (NumberFormatException e) {
            return 0;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The proportional set size one /proc/PID/smaps_rollup text gives (its {@code Pss:} line, in kB), or -1 when
     * the text has none (not smaps_rollup's, or a process that ended mid-read).
     */
    public static long proportionalBytes(String smapsRollup) {
        if (smapsRollup == null) {
            return -1;
        }
        for (String line : smapsRollup.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].equals("Pss:") && f[2].equals("kB") && f[1].matches("[0-9]{1,15}")) {
                return Long.parseLong(f[1]) * 1024;
            }
        }
        return -1;
    }

    /** The sum of the processes' statm texts, saturating rather than overflowing. */
    public static long residentBytes(List<String> statms, long pageSize) {
        long sum = 0;
        for (String statm : statms) {
            long one = residentBytes(statm, pageSize);
            sum = sum > Long.MAX_VALUE - one ? Long.MAX_VALUE : sum + one;
        }
        return sum;
    }

    /** Rounded to the nearest MiB, so 50M reads back as 50. */
    private static long mebibytes(long bytes) {
        return bytes / MIB + (bytes % MIB >= MIB / 2 ? 1 : 0);
    }
}
