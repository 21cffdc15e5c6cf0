package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import java.util.List;

/**
 * {@code scontrol show partition}: Cadre's one partition, {@code batch}, in Slurm 23.11's layout
 * (slurm_sprint_partition_info): the default partition, up, holding every node the head knows (DOWN ones too, as a
 * Slurm partition keeps its configured nodes), with no limits, as sinfo shows it. The figures are the nodes': their
 * names as sinfo lists them, CPUs and memory summed, and TRES as slurmctld sums a partition's (cpu, mem, node,
 * billing one per CPU, gres/gpu when there are GPUs). Lines are joined by a newline and three spaces, or by a space
 * with -o, as for a node.
 */
public final class ScontrolPartitionFormat {
    /** The one partition's name: sinfo's and squeue's. */
    public static final String NAME = SinfoGroup.PARTITION;

    private ScontrolPartitionFormat() {
    }

    /** @param name what was asked for (null: every partition); true when it is Cadre's one */
    public static boolean names(String name) {
        return name == null || NAME.equals(name);
    }

    public static String render(List<SinfoNode> nodes, boolean oneLiner) {
        long cpus = nodes.stream().mapToLong(SinfoNode::cpus).sum();
        long memory = nodes.stream().mapToLong(SinfoNode::memoryMb).sum();
        long gpus = nodes.stream().mapToLong(SinfoNode::gpus).sum();
        String names = HostList.compress(nodes.stream().map(SinfoNode::name).distinct()
                .sorted(SinfoGroup::compareNames).toList());
        String tres = nodes.isEmpty() ? "(null)" : "cpu=" + cpus + ",mem=" + SlurmNumbers.memory(memory) + ",node="
                + nodes.size() + ",billing=" + cpus + (gpus > 0 ? ",gres/gpu=" + gpus : "");
        List<String> lines = List.of("PartitionName=" + NAME,
                "AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL",
                "AllocNodes=ALL Default=YES QoS=N/A",
                "DefaultTime=NONE DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 Hidden=NO",
                "MaxNodes=UNLIMITED MaxTime=UNLIMITED MinNodes=0 LLN=NO MaxCPUsPerNode=UNLIMITED"
                        + " MaxCPUsPerSocket=UNLIMITED",
                "Nodes=" + (nodes.isEmpty() ? "(null)" : names),
                "PriorityJobFactor=1 PriorityTier=1 RootOnly=NO ReqResv=NO OverSubscribe=NO",
                "OverTimeLimit=NONE PreemptMode=OFF",
                "State=UP TotalCPUs=" + cpus + " TotalNodes=" + nodes.size() + " SelectTypeParameters=NONE",
                "JobDefaults=(null)",
                "DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED",
                "TRES=" + tres);
        return oneLiner ? String.join(" ", lines) + "\n" : String.join("\n   ", lines) + "\n\n";
    }
}
