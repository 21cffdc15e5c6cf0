package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.cli.wire.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** seff's report, line for line as Slurm's contributed seff 2.1 prints it, over job views as GET /api/jobs/ID gives. */
class SeffReportTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final String ENDED = "\"submitTime\":\"2026-11-24T10:00:00Z\",\"startTime\":\"2026-11-24T10:00:00Z\","
            + "\"endTime\":\"2026-11-24T10:05:00Z\"";

    private static List<String> report(String fields) {
        return SeffReport.of(Json.parse("{\"id\":12,\"displayId\":\"12\",\"user\":\"alice\"," + fields + "}"), NOW,
                "cadre", "staff").lines();
    }

    private static String attempt(String state, String usage) {
        return "\"attempt\":1,\"attempts\":[{\"attempt\":1,\"state\":\"" + state + "\"" + (usage == null ? ""
                : ",\"usage\":" + usage) + "}]";
    }

    @Test
    void anEndedJobOnOneNodeWithItsMemoryPerNode() {
        assertEquals(List.of("Job ID: 12", "Cluster: cadre", "User/Group: alice/staff", "State: COMPLETED (exit code 0)",
                "Nodes: 1", "Cores per node: 4", "CPU Utilized: 00:10:00",
                "CPU Efficiency: 50.00% of 00:20:00 core-walltime", "Job Wall-clock time: 00:05:00",
                "Memory Utilized: 1.00 GB", "Memory Efficiency: 25.00% of 4.00 GB"),
                report("\"state\":\"COMPLETED\",\"exitCode\":0,\"cpus\":4,\"nodes\":1,\"memoryMb\":4096," + ENDED + ","
                        + attempt("COMPLETED", "{\"userCpuMicros\":590000000,\"systemCpuMicros\":10400000,"
                        + "\"maxRssBytes\":1073741824}")));
    }

    @Test
    void oneCoreAFailedExitCodeAndMemoryPerCpuOverTwoNodesTimesTheCpus() {
        assertEquals(List.of("Job ID: 12", "Cluster: cadre", "User/Group: alice/staff", "State: FAILED (exit code 3)",
                "Cores: 1", "CPU Utilized: 00:00:01", "CPU Efficiency: 0.33% of 00:05:00 core-walltime",
                "Job Wall-clock time: 00:05:00", "Memory Utilized: 512.00 KB", "Memory Efficiency: 0.05% of 1.00 GB"),
                report("\"state\":\"FAILED\",\"exitCode\":3,\"cpus\":1,\"nodes\":1,\"memoryPerCpuMb\":1024,"
                        + "\"memoryMb\":1024," + ENDED + "," + attempt("FAILED", "{\"userCpuMicros\":499999,"
                        + "\"systemCpuMicros\":500001,\"maxRssBytes\":524288}")));
        List<String> twoNodes = report("\"state\":\"COMPLETED\",\"cpus\":8,\"nodes\":2,\"memoryPerCpuMb\":500,"
                + "\"memoryMb\":2000," + ENDED + "," + attempt("COMPLETED", null));
        assertEquals(List.of("Nodes: 2", "Cores per node: 4", "CPU Utilized: 00:00:00",
                "CPU Efficiency: 0.00% of 00:40:00 core-walltime", "Job Wall-clock time: 00:05:00",
                "Memory Utilized: 0.00 MB (estimated maximum)", "Memory Efficiency: 0.00% of 3.91 GB (500.00 MB/core)"),
                twoNodes.subList(4, twoNodes.size()));
    }

    @Test
    void noUsageRecordedIsAnEstimatedMaximumOfNothingPerNode() {
        List<String> lines = report("\"state\":\"COMPLETED\",\"cpus\":2,\"nodes\":2,\"memoryMb\":1024," + ENDED + ","
                + attempt("COMPLETED", null));
        assertEquals(List.of("Memory Utilized: 0.00 MB (estimated maximum)",
                "Memory Efficiency: 0.00% of 2.00 GB (1.00 GB/node)"), lines.subList(lines.size() - 2, lines.size()));
        assertEquals("Cores per node: 1", lines.get(5));
    }

    @Test
    void noMemoryAskedForIsZeroPercentOfNothing() {
        List<String> lines = report("\"state\":\"COMPLETED\",\"cpus\":1,\"nodes\":1," + ENDED + ","
                + attempt("COMPLETED", "{\"userCpuMicros\":60000000,\"systemCpuMicros\":0,\"maxRssBytes\":10485760}"));
        assertEquals(List.of("CPU Utilized: 00:01:00", "CPU Efficiency: 20.00% of 00:05:00 core-walltime",
                "Job Wall-clock time: 00:05:00", "Memory Utilized: 10.00 MB", "Memory Efficiency: 0.00% of 0.00 MB"),
                lines.subList(5, lines.size()));
    }

    @Test
    void aJobCancelledBeforeItStartedHasNoWallTimeAndItsStateWithoutWho() {
        assertEquals(List.of("Job ID: 12", "Cluster: cadre", "User/Group: alice/staff",
                "State: CANCELLED (exit code 0)", "Nodes: 1", "Cores per node: 2", "CPU Utilized: 00:00:00",
                "CPU Efficiency: 0.00% of 00:00:00 core-walltime", "Job Wall-clock time: 00:00:00",
                "Memory Utilized: 0.00 MB (estimated maximum)", "Memory Efficiency: 0.00% of 0.00 MB (0.00 MB/node)"),
                report("\"state\":\"CANCELLED\",\"cancelledBy\":\"alice\",\"attempt\":0,\"cpus\":2,\"nodes\":1,"
                        + "\"submitTime\":\"2026-11-24T10:00:00Z\",\"endTime\":\"2026-11-24T10:01:00Z\""));
    }

    @Test
    void aPendingJobHasNoEfficiencyAndNoExitCode() {
        assertEquals(List.of("Job ID: 12", "Cluster: cadre", "User/Group: alice/staff", "State: PENDING", "Cores: 1",
                "Efficiency not available for jobs in the PENDING state."),
                report("\"state\":\"PENDING\",\"attempt\":0,\"cpus\":1,\"nodes\":1,"
                        + "\"submitTime\":\"2026-11-24T10:00:00Z\""));
    }

    @Test
    void aRunningJobRunsToNowAndIsWarnedOf() {
        List<String> lines = report("\"state\":\"RUNNING\",\"cpus\":1,\"nodes\":1,\"memoryMb\":100,"
                + "\"startTime\":\"2026-11-23T10:59:59Z\"," + attempt("RUNNING", null));
        assertEquals(List.of("State: RUNNING", "Cores: 1", "CPU Utilized: 00:00:00",
                "CPU Efficiency: 0.00% of 1-01:00:01 core-walltime", "Job Wall-clock time: 1-01:00:01",
                "Memory Utilized: 0.00 MB (estimated maximum)", "Memory Efficiency: 0.00% of 100.00 MB (100.00 MB/node)",
                "WARNING: Efficiency statistics may be misleading for RUNNING jobs."), lines.subList(3, lines.size()));
    }

    @Test
    void anArrayTaskShowsItsOwnIdThenSlurmsNameAndATimeoutItsExitCode() {
        List<String> lines = SeffReport.of(Json.parse("{\"id\":57,\"displayId\":\"12_3\",\"arrayJobId\":12,"
                + "\"arrayTaskId\":3,\"user\":\"bob\",\"state\":\"TIMEOUT\",\"exitCode\":0,\"signal\":15,\"cpus\":1,"
                + "\"nodes\":1," + ENDED + "," + attempt("TIMEOUT", null) + "}"), NOW, "c1", "").lines();
        assertEquals(List.of("Job ID: 57", "Array Job ID: 12_3", "Cluster: c1", "User/Group: bob/",
                "State: TIMEOUT (exit code 0)"), lines.subList(0, 5));
        List<String> pendingTasks = SeffReport.of(Json.parse("{\"id\":12,\"displayId\":\"12_[4-9%2]\","
                + "\"arrayJobId\":12,\"arrayPending\":\"4-9\",\"user\":\"bob\",\"state\":\"PENDING\",\"attempt\":0,"
                + "\"cpus\":1,\"nodes\":1}"), NOW, "cadre", "bob").lines();
        assertEquals("Array Job ID: 12_[4-9%2]", pendingTasks.get(1));
    }

    @Test
    void aRequeuedJobWaitingAgainShowsNoFiguresOfItsEarlierRun() {
        List<String> lines = report("\"state\":\"PENDING\",\"attempt\":1,\"cpus\":1,\"nodes\":1,"
                + "\"attempts\":[{\"attempt\":1,\"state\":\"NODE_FAIL\",\"usage\":{\"maxRssBytes\":1048576}}]");
        assertEquals("Efficiency not available for jobs in the PENDING state.", lines.get(lines.size() - 1));
    }

    @Test
    void debugModePrintsTheFiguresReadThenABlankLine() {
        SeffReport r = SeffReport.of(Json.parse("{\"id\":57,\"displayId\":\"12_3\",\"arrayJobId\":12,\"arrayTaskId\":3,"
                + "\"user\":\"bob\",\"state\":\"COMPLETED\",\"exitCode\":0,\"cpus\":2,\"nodes\":1,\"memoryMb\":1024,"
                + ENDED + "," + attempt("COMPLETED", "{\"userCpuMicros\":2000000,\"maxRssBytes\":2097152}") + "}"),
                NOW, "cadre", "bob");
        assertEquals(List.of("Slurm data: JobID ArrayJobID User Group State Clustername Ncpus Nnodes Ntasks Reqmem"
                + " PerNode Cput Walltime Mem ExitStatus",
                "Slurm data: 57 12_3 bob bob COMPLETED cadre 2 1 1 1048576 1 2 300 2048 0", ""), r.debugLines());
    }

    @Test
    void clockTimesAndSizesAsSeffsTime2strAndKbytes2str() {
        assertEquals("00:00:00", SeffReport.clock(0));
        assertEquals("23:59:59", SeffReport.clock(86_399));
        assertEquals("1-00:00:00", SeffReport.clock(86_400));
        assertEquals("123-04:05:06", SeffReport.clock(123L * 86_400 + 4 * 3600 + 5 * 60 + 6));
        assertEquals("0.00 MB", SeffReport.kibibytes(0));
        assertEquals("1.00 KB", SeffReport.kibibytes(1));
        assertEquals("1023.00 KB", SeffReport.kibibytes(1023));
        assertEquals("1.00 MB", SeffReport.kibibytes(1024));
        assertEquals("1.00 GB", SeffReport.kibibytes(1024 * 1024));
        assertEquals("1.00 TB", SeffReport.kibibytes(1024.0 * 1024 * 1024), "a power of 1024 takes the next unit");
        assertEquals("1.00 PB", SeffReport.kibibytes(1024.0 * 1024 * 1024 * 1024));
        assertEquals("1.00 B", SeffReport.kibibytes(Math.pow(1024, 6)), "seff has no unit past E: none");
        assertEquals("12.12", SeffReport.twoPlaces(12.125), "C's printf rounds the exact binary value, half to even");
        assertEquals("2.67", SeffReport.twoPlaces(2.675), "2.675 is a little under in binary");
        assertEquals("0.01", SeffReport.twoPlaces(0.005000000000000001));
        assertEquals("100.00", SeffReport.twoPlaces(100));
    }
}
