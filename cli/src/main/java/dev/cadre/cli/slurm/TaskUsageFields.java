package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.SstatRow.Largest;

/**
 * The per-task usage fields sacct and sstat share (print.c), of a step of one task (Cadre's batch step), so that its
 * figures are also the average and the least over its tasks, counted on task 0: AveCPU, MinCPU (whole seconds, as
 * Slurm keeps a task's CPU time); MaxRSS, AveRSS; MaxVMSize, AveVMSize; MaxDiskRead, AveDiskRead, MaxDiskWrite,
 * AveDiskWrite; their Node and Task fields; the cpu, fs/disk, mem and vmem of the TRESUsageIn fields and the fs/disk
 * of the TRESUsageOut ones. A figure unknown is blank, with its node and task.
 */
final class TaskUsageFields {
    private TaskUsageFields() {
    }

    /**
     * One task's figures, each with the node it was counted on: sstat's the largest over the nodes, sacct's those of
     * the batch step's node.
     *
     * @param cpuMicros the task's CPU time, null when unknown
     * @param cpuNode the node of that time
     */
    record Figures(Long cpuMicros, String cpuNode, Largest rss, Largest vmSize, Largest diskRead, Largest diskWrite) {
    }

    /** The value of one of these fields, null for blank or for a field that is none of them. */
    static String value(String column, Figures f, SacctUnits units) {
        String cpu = f.cpuMicros() == null ? null : SlurmTime.formatTaskCpu(f.cpuMicros());
        String cpuNode = cpu == null ? null : f.cpuNode();
        String memory = size(f.rss(), units);
        String vm = size(f.vmSize(), units);
        String read = size(f.diskRead(), units);
        String written = size(f.diskWrite(), units);
        return switch (column) {
            case "AveCPU", "MinCPU" -> cpu;
            case "MinCPUNode" -> cpuNode;
            case "MinCPUTask" -> task(cpu);
            case "MaxRSS", "AveRSS" -> memory;
            case "MaxRSSNode" -> f.rss().node();
            case "MaxRSSTask" -> task(memory);
            case "MaxVMSize", "AveVMSize" -> vm;
            case "MaxVMSizeNode" -> f.vmSize().node();
            case "MaxVMSizeTask" -> task(vm);
            case "MaxDiskRead", "AveDiskRead" -> disk(f.diskRead(), units);
            case "MaxDiskReadNode" -> f.diskRead().node();
            case "MaxDiskReadTask" -> task(read);
            case "MaxDiskWrite", "AveDiskWrite" -> disk(f.diskWrite(), units);
            case "MaxDiskWriteNode" -> f.diskWrite().node();
            case "MaxDiskWriteTask" -> task(written);
            case "TRESUsageInAve", "TRESUsageInMax", "TRESUsageInMin", "TRESUsageInTot" ->
                    TresUsage.of(cpu, read, memory, vm);
            case "TRESUsageInMaxNode", "TRESUsageInMinNode" -> TresUsage.of(cpuNode, f.diskRead().node(),
                    f.rss().node(), f.vmSize().node());
            // A task id, 0, read as Slurm reads its TRES values: the cpu one as a time.
            case "TRESUsageInMaxTask", "TRESUsageInMinTask" -> TresUsage.of(cpu == null ? null : "00:00:00",
                    task(read), task(memory), task(vm));
            case "TRESUsageOutAve", "TRESUsageOutMax", "TRESUsageOutMin", "TRESUsageOutTot" ->
                    TresUsage.of(null, written, null, null);
            case "TRESUsageOutMaxNode", "TRESUsageOutMinNode" -> TresUsage.of(null, f.diskWrite().node(), null, null);
            case "TRESUsageOutMaxTask", "TRESUsageOutMinTask" -> TresUsage.of(null, task(written), null, null);
            default -> null;
        };
    }

    /** A size as sacct prints one; null when unknown. */
    private static String size(Largest figure, SacctUnits units) {
        return figure.bytes() == null ? null : units.bytes(figure.bytes());
    }

    /** MaxDiskRead and its kin ({@link SacctUnits#diskBytes}); null when unknown. */
    private static String disk(Largest figure, SacctUnits units) {
        return figure.bytes() == null ? null : units.diskBytes(figure.bytes());
    }

    /** The task a known figure is counted on: task 0, the batch step's one task; blank with the figure. */
    private static String task(String figure) {
        return figure == null ? null : "0";
    }
}
