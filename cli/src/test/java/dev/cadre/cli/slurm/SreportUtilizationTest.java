package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * cluster Utilization's layout over fixed figures: a 16-CPU cluster on 2026-11-24 (1382400 CPU-seconds reported),
 * jobs allocated 50400 of them, 4 CPUs were down 6 hours (86400), the rest idle.
 */
class SreportUtilizationTest {
    private static final SreportWindow DAY = new SreportWindow(Instant.parse("2026-11-24T00:00:00Z"),
            Instant.parse("2026-11-25T00:00:00Z"));
    private static final SreportUsage USAGE = new SreportUsage(0, List.of(), new SreportUsage.Utilization(1_382_400,
            50_400, 86_400, 0, 1_245_600, 0));
    private static final String DASHES = "-".repeat(80);

    private static List<String> report(String... args) throws SlurmUsageException {
        SreportRequest r = SreportCommandLine.parse(List.of(args), Map.of()).report();
        return new SreportReport(r, DAY, USAGE, "cadre").lines(ZoneOffset.UTC, u -> null);
    }

    @Test
    void theDefaultReportInCpuMinutes() throws Exception {
        // Every time column is 8 wide for figures under 10^8 seconds, so the headers are cut as Slurm cuts them.
        assertEquals(List.of(DASHES,
                "Cluster Utilization 2026-11-24T00:00:00 - 2026-11-24T23:59:59",
                "Usage reported in CPU Minutes",
                DASHES,
                "  Cluster Allocate     Down PLND Dow     Idle  Planned Reported ",
                "--------- -------- -------- -------- -------- -------- -------- ",
                "    cadre      840     1440        0    20760        0    23040 "),
                report("cluster", "Utilization"));
    }

    @Test
    void percentagesAreOfReportedAndReportedOfTheCpusTimesThePeriod() throws Exception {
        assertEquals(List.of("Usage reported in Percentage of Total",
                "cadre|3.65%|6.25%|0.00%|90.10%|0.00%|100.00%"),
                List.of(report("-P", "-t", "Percent", "cluster", "Utilization").get(2),
                        report("-P", "-n", "-t", "percent", "cluster", "utilization").get(0)));
        assertEquals(List.of("  Cluster         Allocated              Down              Idle ",
                "    cadre         14(3.65%)         24(6.25%)       346(90.10%) "),
                report("-t", "hourper", "cluster", "Utilization", "Format=Cluster,Allocated,Down,Idle").subList(4, 7)
                        .stream().filter(l -> !l.startsWith("-")).toList());
    }

    @Test
    void formatTakesSlurmsFieldNamesWithTheirAbbreviations() throws Exception {
        assertEquals(List.of("TRES Name|TRES Count|Reported|Planned|PLND Down|Over Comm",
                "cpu|16|1382400|0|0|0"),
                report("-P", "-t", "seconds", "cluster", "Utilization",
                        "Format=TresName,count,reported,reserved,PlannedDown,over").subList(4, 6));
        assertEquals(List.of(" Unknown field 'Colour'"), refusal("cluster", "Utilization", "Format=Colour"));
        // %N widens a text column; "pl" is PLND Down, as Slurm tries PlannedDown before Planned.
        assertEquals(List.of("     Cluster PLND Dow ", "------------ -------- ", "       cadre        0 "),
                report("cluster", "Utilization", "Format=Cluster%12,pl").subList(4, 7));
    }

    private static List<String> refusal(String... args) {
        try {
            report(args);
            throw new AssertionError("not refused");
        } catch (SlurmUsageException e) {
            return e.lines();
        }
    }
}
