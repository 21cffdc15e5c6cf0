package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scontrol show node's layout: Slurm's keys in Slurm's order and line breaks, trailing spaces included. */
class ScontrolNodeFormatTest {
    private static final String ARCH = System.getProperty("os.arch", "x86_64").replace("amd64", "x86_64");

    @Test
    void aBusyNodeWithGpus() {
        SinfoNode node = new SinfoNode("node02", 4, 2, 7976, 3072, 2, 1, false, null, null, false, null);
        assertEquals("NodeName=node02 Arch=" + ARCH + " CoresPerSocket=1 \n"
                + "   CPUAlloc=2 CPUEfctv=4 CPUTot=4 CPULoad=N/A\n"
                + "   AvailableFeatures=(null)\n"
                + "   ActiveFeatures=(null)\n"
                + "   Gres=gpu:2\n"
                + "   NodeAddr=10.0.0.2 NodeHostName=node02\n"
                + "   RealMemory=7976 AllocMem=3072 FreeMem=N/A Sockets=4 Boards=1\n"
                + "   State=MIXED ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A\n"
                + "   Partitions=batch \n"
                + "   CfgTRES=cpu=4,mem=7976M,billing=4,gres/gpu=2\n"
                + "   AllocTRES=cpu=2,mem=3G,gres/gpu=1\n"
                + "   JobIds=7,9\n\n",
                ScontrolNodeFormat.render(node, "10.0.0.2", List.of(7L, 9L), ZoneOffset.UTC));
    }

    @Test
    void oneLinerIsTheRecordOnOneLine() {
        SinfoNode node = new SinfoNode("node02", 4, 0, 7976, 0, false, null, null);
        assertEquals("NodeName=node02 Arch=" + ARCH + " CoresPerSocket=1  CPUAlloc=0 CPUEfctv=4 CPUTot=4 CPULoad=N/A"
                + " AvailableFeatures=(null) ActiveFeatures=(null) Gres=(null) NodeAddr=node02 NodeHostName=node02"
                + " RealMemory=7976 AllocMem=0 FreeMem=N/A Sockets=4 Boards=1"
                + " State=IDLE ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A Partitions=batch "
                + " CfgTRES=cpu=4,mem=7976M,billing=4 AllocTRES= JobIds=(null)\n",
                ScontrolNodeFormat.render(node, null, List.of(), ZoneOffset.UTC, true));
    }

    @Test
    void aLostNodeIsDownStarredWithItsReasonAndTime() {
        SinfoNode node = new SinfoNode("node05", 4, 0, 7976, 0, true, "Not responding",
                Instant.parse("2026-01-15T07:58:02Z"));
        assertEquals("NodeName=node05 Arch=" + ARCH + " CoresPerSocket=1 \n"
                + "   CPUAlloc=0 CPUEfctv=4 CPUTot=4 CPULoad=N/A\n"
                + "   AvailableFeatures=(null)\n"
                + "   ActiveFeatures=(null)\n"
                + "   Gres=(null)\n"
                + "   NodeAddr=node05 NodeHostName=node05\n"
                + "   RealMemory=7976 AllocMem=0 FreeMem=N/A Sockets=4 Boards=1\n"
                + "   State=DOWN* ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A\n"
                + "   Partitions=batch \n"
                + "   CfgTRES=cpu=4,mem=7976M,billing=4\n"
                + "   AllocTRES=\n"
                + "   JobIds=(null)\n"
                + "   Reason=Not responding [cadre@2026-01-15T07:58:02]\n\n",
                ScontrolNodeFormat.render(node, null, List.of(), ZoneOffset.UTC));
    }

    /**
     * slurmctld's TRES strings: a node whose only job is suspended has its memory and GPUs allocated and no CPUs
     * (AllocTRES without cpu=), memory in the largest exact unit (8192 MB is 8G, 1536 MB 1.50G, 7976 MB 7976M),
     * billing only in the configured TRES, and nothing that is 0.
     */
    @Test
    void theTresStringsLeaveOutWhatIsZeroAndGiveMemoryInSlurmsUnits() {
        SinfoNode node = new SinfoNode("node03", 8, 0, 8192, 1536, 4, 2, false, null, null, false, null);
        String shown = ScontrolNodeFormat.render(node, null, List.of(12L), ZoneOffset.UTC);
        assertTrue(shown.contains("\n   CfgTRES=cpu=8,mem=8G,billing=8,gres/gpu=4\n"), shown);
        assertTrue(shown.contains("\n   AllocTRES=mem=1.50G,gres/gpu=2\n"), shown);
        assertEquals("cpu=3,mem=7976M", ScontrolNodeFormat.tres(3, 7976, 0, 0));
        assertEquals("", ScontrolNodeFormat.tres(0, 0, 0, 0));
    }
}
