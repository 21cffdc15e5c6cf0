package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
                ScontrolPartitionFormat.render(nodes, false));
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
                + " TRES=cpu=4,mem=8G,node=2,billing=4\n", ScontrolPartitionFormat.render(nodes, true));
        String empty = ScontrolPartitionFormat.render(List.of(), false);
        assertEquals(true, empty.contains("\n   Nodes=(null)\n"), empty);
        assertEquals(true, empty.contains("\n   State=UP TotalCPUs=0 TotalNodes=0 SelectTypeParameters=NONE\n"), empty);
        assertEquals(true, empty.endsWith("\n   TRES=(null)\n\n"), empty);
    }

    @Test
    void onlyBatchIsAPartition() {
        assertEquals(true, ScontrolPartitionFormat.names(null));
        assertEquals(true, ScontrolPartitionFormat.names("batch"));
        assertEquals(false, ScontrolPartitionFormat.names("Batch"));
        assertEquals(false, ScontrolPartitionFormat.names("debug"));
    }
}
