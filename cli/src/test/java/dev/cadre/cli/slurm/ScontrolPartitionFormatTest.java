package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.Partition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScontrolPartitionFormatTest {

    @Test
    void thePartitionHoldsEveryNodeInSlurmsLayout() {
        List<SinfoNode> nodes = List.of(new SinfoNode("n10", 8, 2, 16384, 0, false, null, null),
                new SinfoNode("n9", 4, 0, 7821, 2, true, "not responding", null),
                new SinfoNode("n2", 4, 4, 8192, 0, false, null, null));
        assertEquals("PartitionName=batch\n"
                + "   AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL\n"
                + "   AllocNodes=ALL Default=YES QoS=N/A\n"
                + "   DefaultTime=NONE DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 Hidden=NO\n"
                + "   MaxNodes=UNLIMITED MaxTime=UNLIMITED MinNodes=0 LLN=NO MaxCPUsPerNode=UNLIMITED"
                + " MaxCPUsPerSocket=UNLIMITED\n"
                + "   Nodes=n[2,9-10]\n"
                + "   PriorityJobFactor=1 PriorityTier=1 RootOnly=NO ReqResv=NO OverSubscribe=NO\n"
                + "   OverTimeLimit=NONE PreemptMode=OFF\n"
                + "   State=UP TotalCPUs=16 TotalNodes=3 SelectTypeParameters=NONE\n"
                + "   JobDefaults=(null)\n"
                + "   DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED\n"
                + "   TRES=cpu=16,mem=32397M,node=3,billing=16,gres/gpu=2\n\n",
                ScontrolPartitionFormat.render(Partition.first(), nodes, false));
    }

    @Test
    void oneLinerAndRoundMemoryAndNoNodes() {
        List<SinfoNode> nodes = List.of(new SinfoNode("a1", 2, 0, 4096, 0, false, null, null),
                new SinfoNode("a2", 2, 0, 4096, 0, false, null, null));
        assertEquals("PartitionName=batch AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL AllocNodes=ALL Default=YES"
                + " QoS=N/A DefaultTime=NONE DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 Hidden=NO"
                + " MaxNodes=UNLIMITED MaxTime=UNLIMITED MinNodes=0 LLN=NO MaxCPUsPerNode=UNLIMITED"
                + " MaxCPUsPerSocket=UNLIMITED Nodes=a[1-2] PriorityJobFactor=1 PriorityTier=1 RootOnly=NO ReqResv=NO"
                + " OverSubscribe=NO OverTimeLimit=NONE PreemptMode=OFF State=UP TotalCPUs=4 TotalNodes=2"
                + " SelectTypeParameters=NONE JobDefaults=(null) DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED"
                + " TRES=cpu=4,mem=8G,node=2,billing=4\n",
                ScontrolPartitionFormat.render(Partition.first(), nodes, true));
        String empty = ScontrolPartitionFormat.render(Partition.first(), List.of(), false);
        assertEquals(true, empty.contains("\n   Nodes=(null)\n"), empty);
        assertEquals(true, empty.contains("\n   State=UP TotalCPUs=0 TotalNodes=0 SelectTypeParameters=NONE\n"), empty);
        assertEquals(true, empty.endsWith("\n   TRES=(null)\n\n"), empty);
    }

    @Test
    void aPartitionOfSomeNodesShowsItsOwnLimitsStateAndFigures() {
        List<SinfoNode> known = List.of(new SinfoNode("n1", 4, 0, 4096, 0, false, null, null),
                new SinfoNode("n2", 8, 0, 8192, 1, false, null, null),
                new SinfoNode("n3", 8, 0, 8192, 0, false, null, null));
        Partition debug = new Partition("debug", "n[2-3]", false, 90L, 30L, "DRAIN");
        String shown = ScontrolPartitionFormat.render(debug, ScontrolPartitionFormat.nodesOf(debug, known), false);
        assertEquals(true, shown.startsWith("PartitionName=debug\n"), shown);
        assertEquals(true, shown.contains("\n   AllocNodes=ALL Default=NO QoS=N/A\n"), shown);
        assertEquals(true, shown.contains("\n   DefaultTime=00:30:00 DisableRootJobs=NO"), shown);
        assertEquals(true, shown.contains("\n   MaxNodes=UNLIMITED MaxTime=01:30:00 MinNodes=0"), shown);
        assertEquals(true, shown.contains("\n   Nodes=n[2-3]\n"), shown);
        assertEquals(true, shown.contains("\n   State=DRAIN TotalCPUs=16 TotalNodes=2 SelectTypeParameters=NONE\n"),
                shown);
        assertEquals(true, shown.endsWith("\n   TRES=cpu=16,mem=16G,node=2,billing=16,gres/gpu=1\n\n"), shown);
        Partition week = new Partition("long", "ALL", true, 7L * 24 * 60, null, "UP");
        String all = ScontrolPartitionFormat.render(week, ScontrolPartitionFormat.nodesOf(week, known), true);
        assertEquals(true, all.contains(" MaxTime=7-00:00:00 ") && all.contains(" TotalNodes=3 "), all);
    }
}
