package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import dev.cadre.protocol.Partition;
import java.util.List;
import java.util.Set;

/**
 * {@code scontrol show partition}: one partition in Slurm 23.11's layout (slurm_sprint_partition_info): its Default,
 * DefaultTime, MaxTime (UNLIMITED for none, else D-HH:MM:SS as Slurm prints a time in minutes) and State, and its nodes
 * (for Nodes=ALL every node the head knows, DOWN ones too, as a Slurm partition keeps its configured nodes). The
 * figures are its nodes': their names as sinfo lists them, CPUs and memory summed, and TRES as slurmctld sums a
 * partition's (cpu, mem, node, billing one per CPU, gres/gpu when there are GPUs). Lines are joined by a newline and
 * three spaces, or by a space with -o, as for a node.
 */
public final class ScontrolPartitionFormat {
    private ScontrolPartitionFormat() {
    }

    /** The nodes of a partition among those known: all for Nodes=ALL. */
    public static List<SinfoNode> nodesOf(Partition partition, List<SinfoNode> known) {
        if (partition.allNodes()) {
            return known;
        }
        Set<String> hosts = partition.hosts();
        return known.stream().filter(n -> hosts.contains(n.name())).toList();
    }

    public static String render(Partition partition, List<SinfoNode> nodes, boolean oneLiner) {
        long cpus = nodes.stream().mapToLong(SinfoNode::cpus).sum();
        long memory = nodes.stream().mapToLong(SinfoNode::memoryMb).sum();
        long gpus = nodes.stream().mapToLong(SinfoNode::gpus).sum();
        String names = HostList.compress(nodes.stream().map(SinfoNode::name).distinct()
                .sorted(SinfoGroup::compareNames).toList());
        String tres = nodes.isEmpty() ? "(null)" : "cpu=" + cpus + ",mem=" + SlurmNumbers.memory(memory) + ",node="
                + nodes.size() + ",billing=" + cpus + (gpus > 0 ? ",gres/gpu=" + gpus : "");
        List<String> lines = List.of("PartitionName=" + partition.name(),
                "AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL",
                "AllocNodes=ALL Default=" + (partition.isDefault() ? "YES" : "NO") + " QoS=N/A",
                "DefaultTime=" + time(partition.defaultTimeMinutes(), "NONE")
                        + " DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 Hidden=NO",
                "MaxNodes=UNLIMITED MaxTime=" + time(partition.maxTimeMinutes(), "UNLIMITED")
                        + " MinNodes=0 LLN=NO MaxCPUsPerNode=UNLIMITED MaxCPUsPerSocket=UNLIMITED",
                "Nodes=" + (nodes.isEmpty() ? "(null)" : names),
                "PriorityJobFactor=1 PriorityTier=1 RootOnly=NO ReqResv=NO OverSubscribe=NO",
                "OverTimeLimit=NONE PreemptMode=OFF",
                "State=" + partition.state() + " TotalCPUs=" + cpus + " TotalNodes=" + nodes.size()
                        + " SelectTypeParameters=NONE",
                "JobDefaults=(null)",
                "DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED",
                "TRES=" + tres);
        return oneLiner ? String.join(" ", lines) + "\n" : String.join("\n   ", lines) + "\n\n";
    }

    /** A time in minutes as slurm_sprint_partition_info prints it (secs2time_str of the minutes times 60). */
    private static String time(Long minutes, String none) {
        return minutes == null ? none : SlurmTime.formatClock(minutes * 60);
    }
}
