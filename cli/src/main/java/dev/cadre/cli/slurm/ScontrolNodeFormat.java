package dev.cadre.cli.slurm;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code scontrol show node}: one node in scontrol's KEY=VALUE layout, with the keys Cadre has a value for, in
 * scontrol's order. Lines are joined by a newline and three spaces, and a blank line ends the record.
 */
public final class ScontrolNodeFormat {
    private ScontrolNodeFormat() {
    }

    /** @param node as sinfo reads it; {@code address} the node's first address, or null */
    public static String render(SinfoNode node, String address, List<Long> jobIds, ZoneId zone) {
        return render(node, address, jobIds, zone, false);
    }

    /** @param oneLiner scontrol -o: the record's lines joined by a space, and one newline after it */
    public static String render(SinfoNode node, String address, List<Long> jobIds, ZoneId zone,
            boolean oneLiner) {
        List<String> lines = new ArrayList<>();
        lines.add("NodeName=" + node.name() + " Arch=" + System.getProperty("os.arch", "x86_64")
                .replace("amd64", "x86_64") + " CoresPerSocket=1 ");
        lines.add("CPUAlloc=" + node.allocCpus() + " CPUEfctv=" + node.cpus() + " CPUTot=" + node.cpus()
                + " CPULoad=N/A");
        lines.add("AvailableFeatures=(null)");
        lines.add("ActiveFeatures=(null)");
        lines.add("Gres=" + node.gres());
        lines.add("NodeAddr=" + (address == null ? node.name() : address) + " NodeHostName=" + node.name());
        lines.add("RealMemory=" + node.memoryMb() + " AllocMem=" + node.allocMemoryMb() + " FreeMem=N/A Sockets="
                + node.cpus() + " Boards=1");
        lines.add("State=" + state(node) + " ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A");
        lines.add("Partitions=" + SqueueJob.PARTITION + " ");
        lines.add("CfgTRES=" + tres(node.cpus(), node.memoryMb(), node.cpus(), node.gpus()));
        lines.add("AllocTRES=" + tres(node.allocCpus(), node.allocMemoryMb(), 0, node.allocGpus()));
        lines.add("JobIds=" + (jobIds.isEmpty() ? "(null)" : String.join(",", jobIds.stream().map(String::valueOf)
                .toList())));
        if (node.reason() != null) {
            lines.add("Reason=" + node.reason() + " [" + (node.reasonUser() == null ? "cadre" : node.reasonUser())
                    + "@" + SlurmTime.formatDate(node.reasonTime(), zone) + "]");
        }
        return oneLiner ? String.join(" ", lines) + "\n" : String.join("\n   ", lines) + "\n\n";
    }

    /**
     * A node's TRES string as slurmctld makes it (assoc_mgr_make_tres_str_from_array with TRES_STR_CONVERT_UNITS): the
     * TRES in their id order, cpu, mem, billing, then gres/gpu, each left out when it is 0 (an idle node's AllocTRES
     * is empty), the memory in megabytes as convert_num_unit's exact mode prints it ({@link SlurmNumbers#memory}:
     * "7976M", "4G", "1.50G"). A node's allocated TRES have no billing: slurmctld counts only cpu, mem and GRES there.
     */
    static String tres(int cpus, long memoryMb, int billing, int gpus) {
        List<String> parts = new ArrayList<>();
        if (cpus > 0) {
            parts.add("cpu=" + cpus);
        }
        if (memoryMb > 0) {
            parts.add("mem=" + SlurmNumbers.memory(memoryMb));
        }
        if (billing > 0) {
            parts.add("billing=" + billing);
        }
        if (gpus > 0) {
            parts.add("gres/gpu=" + gpus);
        }
        return String.join(",", parts);
    }

    /**
     * scontrol's upper-case state, with '*' for a node that does not respond, +DRAIN for a drained one, and the flags
     * an active reservation sets in Slurm's order of them (node_state_string_complete): +MAINTENANCE in a
     * maintenance window, +RESERVED in any reservation.
     */
    static String state(SinfoNode node) {
        String base = switch (node.baseState()) {
            case DOWN -> "DOWN";
            default -> node.baseState().longName.toUpperCase(Locale.ROOT);
        };
        return base + (node.drain() ? "+DRAIN" : "")
                + (node.reserved() == SinfoNode.Reserved.MAINT ? "+MAINTENANCE" : "")
                + (node.reserved() != SinfoNode.Reserved.NONE ? "+RESERVED" : "") + (node.down() ? "*" : "");
    }
}
