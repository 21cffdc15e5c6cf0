package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.slurm.PrintFields.Parsable;
import dev.cadre.cli.wire.Json;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sstat's rows from GET /api/jobs/ID/usage answers: the batch step's one task, its CPU time summed over the nodes that
 * answered and its memory the most one node holds, in sstat's forms and layouts; nodes that did not answer left out.
 */
class SstatFormatTest {
    private static final String ONE_ANSWERED = UsageAnswers.ONE_ANSWERED;
    /**
     * Three nodes answered: node3 keeps no memory peak (its figure is what it holds now, the most of any) and knows
     * only user time; node2 knows nothing.
     */
    private static final String THREE_ANSWERED = """
            {"jobId": 42, "attempt": 2, "nodes": [
              {"hostname": "node1", "coordinator": true, "running": true,
               "usage": {"userCpuMicros": 61520000, "systemCpuMicros": 1240000, "maxRssBytes": 73400320},
               "rssBytes": 70254592, "pids": [48121, 48133], "error": null},
              {"hostname": "node2", "coordinator": false, "running": false, "usage": null, "rssBytes": null,
               "pids": [], "error": null},
              {"hostname": "node3", "coordinator": false, "running": true,
               "usage": {"userCpuMicros": 3600000000, "systemCpuMicros": null, "maxRssBytes": null},
               "rssBytes": 104857600, "pids": [7001], "error": null}
            ]}""";
    /**
     * Three nodes with virtual memory and disk figures, node2's node-runner from before them: node3 has the most
     * virtual memory, node1 read and wrote the most (node3 read one byte, wrote none).
     */
    private static final String WITH_VM_AND_DISK = """
            {"jobId": 42, "attempt": 2, "nodes": [
              {"hostname": "node1", "coordinator": true, "running": true,
               "usage": {"userCpuMicros": 61520000, "systemCpuMicros": 1240000, "maxRssBytes": 73400320},
               "rssBytes": 70254592, "vmSizeBytes": 312475648, "diskReadBytes": 1048576, "diskWriteBytes": 52428800,
               "pids": [48121, 48133], "error": null},
              {"hostname": "node2", "coordinator": false, "running": false, "usage": null, "rssBytes": 0,
               "pids": [], "error": null},
              {"hostname": "node3", "coordinator": false, "running": true,
               "usage": {"userCpuMicros": 3600000000, "systemCpuMicros": null, "maxRssBytes": null},
               "rssBytes": 104857600, "vmSizeBytes": 2147483648, "diskReadBytes": 1, "diskWriteBytes": 0,
               "pids": [7001], "error": null}
            ]}""";
    private static final List<String> VM_AND_DISK_FIELDS = List.of("MaxVMSize", "MaxVMSizeNode", "MaxVMSizeTask",
            "AveVMSize", "MaxDiskRead", "MaxDiskReadNode", "MaxDiskReadTask", "AveDiskRead", "MaxDiskWrite",
            "MaxDiskWriteNode", "MaxDiskWriteTask", "AveDiskWrite");
    private static final List<String> TASK_FIELDS = List.of("JobID", "AveCPU", "MinCPU", "MinCPUNode", "MinCPUTask",
            "MaxRSS", "MaxRSSNode", "MaxRSSTask", "AveRSS", "NTasks");

    private static SstatReading reading(String body) {
        return SstatReading.of(Json.parse(body), "42");
    }

    private static List<String> render(String body, List<String> fields, Parsable parsable, SacctUnits units)
            throws Exception {
        SstatRow step = reading(body).step();
        return SstatFormat.render(fields, step == null ? List.of() : List.of(step), parsable, units);
    }

    private static String parsable(String body, String... fields) throws Exception {
        return render(body, List.of(fields), Parsable.NO_TRAILING_BAR, SacctUnits.EXACT).get(0);
    }

    @Test
    void oneNodeAnsweredItsFiguresAreTheTasksAndTheOtherIsNamedOnStderr() throws Exception {
        SstatReading r = reading(ONE_ANSWERED);
        assertEquals(List.of("sstat: warning: job 42: no figures from node2, left out: node2 did not answer within"
                + " 5 s"), r.warnings());
        // 62.76 s of CPU in whole seconds; the node's peak, 70 MiB, over what it holds now.
        assertEquals("42.batch|00:01:02|00:01:02|node1|0|70M|node1|0|70M|1",
                parsable(ONE_ANSWERED, TASK_FIELDS.toArray(new String[0])));
        assertEquals("node1|48121,48133", parsable(ONE_ANSWERED, "Nodelist", "Pids"));
    }

    @Test
    void cpuTimeIsSummedOverTheNodesAndMemoryIsTheMostOneNodeHolds() throws Exception {
        assertEquals(List.of(), reading(THREE_ANSWERED).warnings());
        assertEquals("42.batch|01:01:02|01:01:02|node1|0|100M|node3|0|100M|1",
                parsable(THREE_ANSWERED, TASK_FIELDS.toArray(new String[0])));
        assertEquals("node[1-3]|48121,48133,7001", parsable(THREE_ANSWERED, "Nodelist", "Pids"));
        assertEquals("cpu=01:01:02,mem=100M|cpu=01:01:02,mem=100M|cpu=01:01:02,mem=100M|cpu=01:01:02,mem=100M",
                parsable(THREE_ANSWERED, "TRESUsageInTot", "TRESUsageInMax", "TRESUsageInAve", "TRESUsageInMin"));
        assertEquals("cpu=node1,mem=node3|cpu=00:00:00,mem=0|cpu=node1,mem=node3|cpu=00:00:00,mem=0",
                parsable(THREE_ANSWERED, "TRESUsageInMaxNode", "TRESUsageInMaxTask", "TRESUsageInMinNode",
                        "TRESUsageInMinTask"));
    }

    @Test
    void virtualMemoryAndDiskBytesAreTheMostOneNodeHasInSstatsForms() throws Exception {
        assertEquals("2G|node3|0|2G|1M|node1|0|1M|50M|node1|0|50M",
                parsable(WITH_VM_AND_DISK, VM_AND_DISK_FIELDS.toArray(new String[0])));
        assertEquals("2147483648|2147483648|1048576|52428800", render(WITH_VM_AND_DISK, List.of("MaxVMSize",
                "AveVMSize", "MaxDiskRead", "AveDiskWrite"), Parsable.NO_TRAILING_BAR, new SacctUnits(null, true))
                .get(0), "--noconvert");
        // TRES strings in Slurm's order, the disk's reads in, its writes out.
        assertEquals("cpu=01:01:02,fs/disk=1M,mem=100M,vmem=2G|cpu=node1,fs/disk=node1,mem=node3,vmem=node3"
                + "|cpu=00:00:00,fs/disk=0,mem=0,vmem=0", parsable(WITH_VM_AND_DISK, "TRESUsageInTot",
                "TRESUsageInMaxNode", "TRESUsageInMaxTask"));
        assertEquals("fs/disk=50M|fs/disk=50M|fs/disk=node1|fs/disk=0|fs/disk=node1|fs/disk=0",
                parsable(WITH_VM_AND_DISK, "TRESUsageOutTot", "TRESUsageOutAve", "TRESUsageOutMaxNode",
                        "TRESUsageOutMaxTask", "TRESUsageOutMinNode", "TRESUsageOutMinTask"));
    }

    @Test
    void diskBytesPrintAsSstatsSmallDoubleDoes() throws Exception {
        String small = """
                {"jobId": 42, "nodes": [{"hostname": "node1", "usage": null, "rssBytes": 0, "vmSizeBytes": 10686464,
                 "diskReadBytes": 1, "diskWriteBytes": 0, "pids": [5], "error": null}]}""";
        // A byte is "1.00M", as sstat prints what it once kept in megabytes; no bytes "0"; in a TRES string, neither.
        assertEquals("1.00M|1.00M|0|0|10436K|fs/disk=1,mem=0,vmem=10436K|fs/disk=0", parsable(small, "MaxDiskRead",
                "AveDiskRead", "MaxDiskWrite", "AveDiskWrite", "MaxVMSize", "TRESUsageInTot", "TRESUsageOutTot"));
        assertEquals("2K|1.50M", parsable("""
                {"jobId": 42, "nodes": [{"hostname": "node1", "usage": null, "rssBytes": 0, "diskReadBytes": 2048,
                 "diskWriteBytes": 1572864, "pids": [5], "error": null}]}""", "MaxDiskRead", "MaxDiskWrite"));
    }

    @Test
    void unknownFiguresAndFieldsCadreCannotKnowAreBlank() throws Exception {
        String nothingKnown = """
                {"jobId": 42, "nodes": [{"hostname": "node1", "usage": null, "rssBytes": null, "pids": [],
                 "error": null}]}""";
        assertEquals("42.batch|||||||||1||||", parsable(nothingKnown, "JobID", "AveCPU", "MinCPUNode", "MinCPUTask",
                "MaxRSS", "MaxRSSNode", "MaxRSSTask", "TRESUsageInTot", "TRESUsageInMaxNode", "NTasks", "Pids",
                "MaxVMSize", "TRESUsageOutTot", "ConsumedEnergy"));
        // A node-runner from before the virtual memory and disk figures: their fields blank, no TRES part for them.
        assertEquals("|".repeat(11), parsable(ONE_ANSWERED, VM_AND_DISK_FIELDS.toArray(new String[0])));
        assertEquals("cpu=00:01:02,mem=70M|", parsable(ONE_ANSWERED, "TRESUsageInTot", "TRESUsageOutTot"));
        String memoryOnly = """
                {"jobId": 42, "nodes": [{"hostname": "node1", "usage": {"userCpuMicros": null,
                 "systemCpuMicros": null, "maxRssBytes": null}, "rssBytes": 10686464, "pids": [5], "error": null}]}""";
        assertEquals("|10436K|mem=10436K|mem=node1|mem=0", parsable(memoryOnly, "AveCPU", "MaxRSS", "TRESUsageInTot",
                "TRESUsageInMaxNode", "TRESUsageInMaxTask"));
        String cpuOnly = """
                {"jobId": 42, "nodes": [{"hostname": "node1", "usage": {"userCpuMicros": 0, "systemCpuMicros": 999999,
                 "maxRssBytes": null}, "rssBytes": null, "pids": [5], "error": null}]}""";
        assertEquals("00:00:00||cpu=00:00:00|cpu=node1", parsable(cpuOnly, "MinCPU", "AveRSS", "TRESUsageInAve",
                "TRESUsageInMinNode"));
    }

    @Test
    void theDefaultFieldsAreSstatsWithCadresFiguresInTheirPlaces() throws Exception {
        String[] expected = new String[47];
        Arrays.fill(expected, "");
        expected[0] = "42.batch";
        expected[5] = "70M";
        expected[6] = "node1";
        expected[7] = "0";
        expected[8] = "70M";
        expected[13] = "00:01:02";
        expected[14] = "node1";
        expected[15] = "0";
        expected[16] = "00:01:02";
        expected[17] = "1";
        for (int tres = 31; tres <= 38; tres++) {
            expected[tres] = "cpu=00:01:02,mem=70M";
        }
        expected[33] = "cpu=node1,mem=node1";
        expected[36] = "cpu=node1,mem=node1";
        expected[34] = "cpu=00:00:00,mem=0";
        expected[37] = "cpu=00:00:00,mem=0";
        assertEquals(String.join("|", expected), render(ONE_ANSWERED, SstatFormat.DEFAULT_FIELDS,
                Parsable.NO_TRAILING_BAR, SacctUnits.EXACT).get(0));
        List<String> figures = List.of(render(WITH_VM_AND_DISK, SstatFormat.DEFAULT_FIELDS, Parsable.NO_TRAILING_BAR,
                SacctUnits.EXACT).get(0).split("\\|", -1));
        assertEquals(List.of("2G", "node3", "0", "2G"), figures.subList(1, 5));
        assertEquals(List.of("1M", "node1", "0", "1M", "50M", "node1", "0", "50M"), figures.subList(23, 31));
        assertEquals(List.of("fs/disk=50M", "fs/disk=50M", "fs/disk=node1", "fs/disk=0", "fs/disk=50M",
                "fs/disk=node1", "fs/disk=0", "fs/disk=50M"), figures.subList(39, 47));
        assertTrue(SstatFormat.header(SstatFormat.DEFAULT_FIELDS, Parsable.NO).get(0).startsWith(
                "JobID         MaxVMSize  MaxVMSizeNode  MaxVMSizeTask  AveVMSize     MaxRSS MaxRSSNode MaxRSSTask"
                + "     AveRSS MaxPages MaxPagesNode   MaxPagesTask   AvePages     MinCPU MinCPUNode MinCPUTask"));
    }

    @Test
    void fixedWidthColumnsParsableForms() throws Exception {
        List<String> fields = List.of("JobID", "AveCPU", "MaxRSS", "MaxRSSNode", "NTasks");
        assertEquals(List.of("JobID            AveCPU     MaxRSS MaxRSSNode   NTasks ",
                "------------ ---------- ---------- ---------- -------- "), SstatFormat.header(fields, Parsable.NO));
        assertEquals(List.of("42.batch       00:01:02        70M      node1        1 "),
                render(ONE_ANSWERED, fields, Parsable.NO, SacctUnits.EXACT));
        assertEquals(List.of("JobID|AveCPU|MaxRSS|MaxRSSNode|NTasks|"), SstatFormat.header(fields,
                Parsable.TRAILING_BAR), "-p: no dashes");
        assertEquals(List.of("42.batch|00:01:02|70M|node1|1|"), render(ONE_ANSWERED, fields, Parsable.TRAILING_BAR,
                SacctUnits.EXACT));
        assertEquals(List.of("JobID|AveCPU|MaxRSS|MaxRSSNode|NTasks"), SstatFormat.header(fields,
                Parsable.NO_TRAILING_BAR));
    }

    @Test
    void widthsByPercentCutTextWithAPlus() throws Exception {
        List<String> fields = List.of("jobid%-6", "maxrss%4", "mincpun%3", "ntasks%1");
        assertEquals(List.of("42.ba+  70M no+ 1 "), render(ONE_ANSWERED, fields, Parsable.NO, SacctUnits.EXACT));
        assertEquals("JobID  MaxR Min N ", SstatFormat.header(fields, Parsable.NO).get(0),
                "headers are cut without a '+'");
    }

    @Test
    void noconvertPrintsBytesAsTheyAre() throws Exception {
        assertEquals("73400320|73400320|cpu=00:01:02,mem=73400320", render(ONE_ANSWERED,
                List.of("MaxRSS", "AveRSS", "TRESUsageInTot"), Parsable.NO_TRAILING_BAR, new SacctUnits(null, true))
                .get(0));
    }

    @Test
    void pidformatIsARowPerNodeThatAnsweredWithItsProcesses() throws Exception {
        List<String> pid = List.of("jobid", "nodelist", "pids");
        assertEquals(List.of("42.batch|node1|48121,48133", "42.batch|node2|", "42.batch|node3|7001"),
                SstatFormat.render(pid, reading(THREE_ANSWERED).perNode(), Parsable.NO_TRAILING_BAR, SacctUnits.EXACT));
        assertEquals(List.of("42.batch|node1|48121,48133|||"), SstatFormat.render(List.of("jobid", "nodelist", "pids",
                "AveCPU", "NTasks"), reading(ONE_ANSWERED).perNode(), Parsable.TRAILING_BAR, SacctUnits.EXACT),
                "an -i row holds no figures, as sstat's");
        assertEquals(List.of("JobID                    Nodelist                 Pids ",
                        "------------ -------------------- -------------------- "),
                SstatFormat.header(pid, Parsable.NO), "Nodelist and Pids right-justified, as their widths are 20");
        assertEquals(List.of("42.batch    " + " " + " ".repeat(15) + "node1" + " " + " ".repeat(9) + "48121,48133 "),
                SstatFormat.render(pid, reading(ONE_ANSWERED).perNode(), Parsable.NO, SacctUnits.EXACT));
    }

    @Test
    void theIdIsTheOneTheHeadAnswersWithAndANodeWithNoAnswerGivesNoRow() {
        assertEquals("57", SstatReading.of(Json.parse("{\"jobId\": 57, \"nodes\": []}"), "43_3").jobId(),
                "an array task's own id, as sstat shows it");
        assertEquals("43_3", SstatReading.of(Json.parse("{\"nodes\": []}"), "43_3").jobId());
        String noneAnswered = """
                {"jobId": 42, "nodes": [{"hostname": "node1", "usage": null, "rssBytes": null, "pids": [],
                 "error": "node1 did not answer within 5 s"}]}""";
        assertNull(reading(noneAnswered).step());
        assertEquals(List.of(), reading(noneAnswered).perNode());
        assertEquals(1, reading(noneAnswered).warnings().size());
    }

    @Test
    void theFieldListIsSstatsFourToALineAndAnUnknownFieldIsRefused() {
        String help = SstatFormat.helpFormat();
        assertTrue(help.startsWith("AveCPU            AveCPUFreq        AveDiskRead       AveDiskWrite     \n"
                + "AvePages          AveRSS            AveVMSize         ConsumedEnergy   \n"), help);
        assertTrue(help.contains("\nTRESUsageInMax    TRESUsageInMaxNode TRESUsageInMaxTask TRESUsageInMin   \n"),
                "a longer name is not cut: " + help);
        assertTrue(help.endsWith("\nTRESUsageOutMinNode TRESUsageOutMinTask TRESUsageOutTot  \n"), help);
        assertEquals("sstat: error: Invalid field requested: \"State\"", assertThrows(SlurmUsageException.class,
                () -> SstatFormat.check(List.of("JobID", "State"))).getMessage());
    }
}
