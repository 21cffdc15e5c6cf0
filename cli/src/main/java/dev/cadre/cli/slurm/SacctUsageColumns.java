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
        String cpu = u.totalCpuMicros() == null ? null : SlurmTime.formatTaskCpu(u.totalCpuMicros());
        String rss = u.maxRssBytes() == null ? null : units.bytes(u.maxRssBytes());
        String vm = u.maxVmSizeBytes() == null ? null : units.bytes(u.maxVmSizeBytes());
        String read = u.diskReadBytes() == null ? null : units.bytes(u.diskReadBytes());
        String written = u.diskWriteBytes() == null ? null : units.bytes(u.diskWriteBytes());
        return switch (column) {
            // Whole seconds, as Slurm keeps a task's CPU time (print.c's _elapsed_time without microseconds).
            case "AveCPU", "MinCPU" -> cpu;
            case "MinCPUNode" -> node(cpu, r);
            case "MinCPUTask" -> task(cpu);
            case "MaxRSS", "AveRSS" -> rss;
            case "MaxRSSNode" -> node(rss, r);
            case "MaxRSSTask" -> task(rss);
            case "MaxVMSize", "AveVMSize" -> vm;
            case "MaxVMSizeNode" -> node(vm, r);
            case "MaxVMSizeTask" -> task(vm);
            case "MaxDiskRead", "AveDiskRead" -> u.diskReadBytes() == null ? null : units.diskBytes(u.diskReadBytes());
            case "MaxDiskReadNode" -> node(read, r);
            case "MaxDiskReadTask" -> task(read);
            case "MaxDiskWrite", "AveDiskWrite" -> u.diskWriteBytes() == null ? null
                    : units.diskBytes(u.diskWriteBytes());
            case "MaxDiskWriteNode" -> node(written, r);
            case "MaxDiskWriteTask" -> task(written);
            case "TRESUsageInAve", "TRESUsageInMax", "TRESUsageInMin", "TRESUsageInTot" ->
                    TresUsage.of(cpu, read, rss, vm);
            case "TRESUsageInMaxNode", "TRESUsageInMinNode" -> TresUsage.of(node(cpu, r), node(read, r), node(rss, r),
                    node(vm, r));
            // A task id, 0, read as Slurm reads its TRES values: the cpu one as a time.
            case "TRESUsageInMaxTask", "TRESUsageInMinTask" -> TresUsage.of(cpu == null ? null : "00:00:00",
                    task(read), task(rss), task(vm));
            case "TRESUsageOutAve", "TRESUsageOutMax", "TRESUsageOutMin", "TRESUsageOutTot" ->
                    TresUsage.of(null, written, null, null);
            case "TRESUsageOutMaxNode", "TRESUsageOutMinNode" -> TresUsage.of(null, node(written, r), null, null);
            case "TRESUsageOutMaxTask", "TRESUsageOutMinTask" -> TresUsage.of(null, task(written), null, null);
            default -> null;
        };
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

    /** The node a known figure is counted on: the batch step's; blank with the figure. */
    private static String node(String figure, SacctRow r) {
        return figure == null ? null : r.usageNode();
    }

    /** The task a known figure is counted on: task 0, the batch step's one task; blank with the figure. */
    private static String task(String figure) {
        return figure == null ? null : "0";
    }
}
