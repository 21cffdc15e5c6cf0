package dev.cadre.cli.slurm;

import dev.cadre.protocol.ResourceUsage;
import java.util.Set;

/**
 * sacct's fields of what a run used (print.c), from its attempt's usage: the CPU times on a job's row and its batch
 * step's; the per-task figures on the step's row only, as Slurm leaves them blank on the job's own. The batch step
 * has one task, so its figures are also the average and the least over its tasks, counted on its node, task 0:
 * AveCPU, MinCPU; MaxRSS, AveRSS; MaxVMSize, AveVMSize (the largest virtual size the node sampled); MaxDiskRead,
 * AveDiskRead, MaxDiskWrite, AveDiskWrite (bytes to and from storage, not Slurm's rchar and wchar: docs/operations.md);
 * their Node and Task fields; and the cpu, fs/disk, mem and vmem of the TRESUsageIn fields and the fs/disk of the
 * TRESUsageOut ones, as sstat prints them ({@link SstatFormat}). A figure the node could not read is blank.
 */
final class SacctUsageColumns {
    /** The fields that show what a run used, which the job list does not hold: each job's attempts are read. */
    static final Set<String> FIELDS = Set.of("TotalCPU", "UserCPU", "SystemCPU", "MaxRSS", "AveRSS", "MaxRSSNode",
            "MaxRSSTask", "AveCPU", "MinCPU", "MinCPUNode", "MinCPUTask", "MaxVMSize", "MaxVMSizeNode",
            "MaxVMSizeTask", "AveVMSize", "MaxDiskRead", "MaxDiskReadNode", "MaxDiskReadTask", "AveDiskRead",
            "MaxDiskWrite", "MaxDiskWriteNode", "MaxDiskWriteTask", "AveDiskWrite", "TRESUsageInAve",
            "TRESUsageInMax", "TRESUsageInMaxNode", "TRESUsageInMaxTask", "TRESUsageInMin", "TRESUsageInMinNode",
            "TRESUsageInMinTask", "TRESUsageInTot", "TRESUsageOutAve", "TRESUsageOutMax", "TRESUsageOutMaxNode",
            "TRESUsageOutMaxTask", "TRESUsageOutMin", "TRESUsageOutMinNode", "TRESUsageOutMinTask",
            "TRESUsageOutTot");

    private SacctUsageColumns() {
    }

    /** The row's value in a usage column, null for blank or for a column that is none of these. */
    static String value(String column, SacctRow r, SacctUnits units) {
        ResourceUsage u = r.usage();
        if (column.equals("TotalCPU") || column.equals("UserCPU") || column.equals("SystemCPU")) {
            return cpu(column, u);
        }
        if (r.usageNode() == null || u == null) {
            return null; // a job's own row, or nothing reported
        }
        return TaskUsageFields.value(column, new TaskUsageFields.Figures(u.totalCpuMicros(), r.usageNode(),
                onNode(u.maxRssBytes(), r), onNode(u.maxVmSizeBytes(), r), onNode(u.diskReadBytes(), r),
                onNode(u.diskWriteBytes(), r)), units);
    }

    /**
     * A CPU time of the run's usage, blank when unknown (Slurm would print 00:00:00 for a step it had no figure of).
     */
    private static String cpu(String column, ResourceUsage u) {
        Long micros = u == null ? null : switch (column) {
            case "UserCPU" -> u.userCpuMicros();
            case "SystemCPU" -> u.systemCpuMicros();
            default -> u.totalCpuMicros();
        };
        return micros == null ? null : SlurmTime.formatCpu(micros);
    }

    /** A figure of the batch step, counted on its node; unknown with no node. */
    private static SstatRow.Largest onNode(Long bytes, SacctRow r) {
        return bytes == null ? SstatRow.Largest.UNKNOWN : new SstatRow.Largest(bytes, r.usageNode());
    }
}
