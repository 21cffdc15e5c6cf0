package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reports' layouts over fixed usage: on a 16-CPU cluster on 2026-11-24, alice's 4-CPU jobs held 43200 CPU-seconds
 * (720 minutes), bob's 1-CPU jobs 5400 and his 2-CPU job 1800 (120 minutes in all).
 */
class SreportReportTest {
    private static final SreportWindow DAY = new SreportWindow(Instant.parse("2026-11-24T00:00:00Z"),
            Instant.parse("2026-11-25T00:00:00Z"));
    private static final SreportUsage USAGE = new SreportUsage(16, List.of(new SreportUsage.Row("alice", 4, 3, 43200),
            new SreportUsage.Row("bob", 1, 12, 5400), new SreportUsage.Row("bob", 2, 1, 1800)));
    private static final String DASHES = "-".repeat(80);

    private static List<String> report(String... args) throws SlurmUsageException {
        SreportRequest r = SreportCommandLine.parse(List.of(args), Map.of()).report();
        return new SreportReport(r, DAY, USAGE, "cadre").lines(ZoneOffset.UTC,
                u -> u.equals("alice") ? "Alice Smith" : null);
    }

    @Test
    void topUsageListsTheHeaviestUsersFirst() throws Exception {
        assertEquals(List.of(DASHES,
                "Top 10 Users 2026-11-24T00:00:00 - 2026-11-24T23:59:59 (86400 secs)",
                "Usage reported in CPU Minutes",
                DASHES,
                "  Cluster     Login     Proper Name         Account     Used   Energy ",
                "--------- --------- --------------- --------------- -------- -------- ",
                "    cadre     alice     Alice Smith            root      720        0 ",
                "    cadre       bob                            root      120        0 "),
                report("user", "TopUsage"));
    }

    @Test
    void topCountGroupAndUsersNarrowTheList() throws Exception {
        assertEquals(List.of("    cadre     alice     Alice Smith            root      720        0 "),
                report("-n", "user", "top", "TopCount=1", "Group"));
        assertEquals("Top ALL Users 2026-11-24T00:00:00 - 2026-11-24T23:59:59 (86400 secs)",
                report("user", "top", "TopCount=0").get(1));
        assertEquals(List.of("cadre|alice|Alice Smith|root|720|0|", "cadre|bob||root|120|0|"),
                report("-p", "-n", "user", "top"));
    }

    @Test
    void sortByNameOrdersUsersByTheirNames() throws Exception {
        SreportUsage heavyBob = new SreportUsage(16, List.of(new SreportUsage.Row("alice", 1, 1, 60),
                new SreportUsage.Row("bob", 1, 1, 600)));
        for (String[] args : new String[][] {{"user", "top"}, {"-s", "name", "user", "top"}}) {
            List<String> a = new java.util.ArrayList<>(List.of("-P", "-n"));
            a.addAll(List.of(args));
            SreportRequest r = SreportCommandLine.parse(a, Map.of()).report();
            List<String> lines = new SreportReport(r, DAY, heavyBob, "c").lines(ZoneOffset.UTC, u -> null);
            assertEquals(args.length == 2 ? List.of("c|bob||root|10|0", "c|alice||root|1|0")
                    : List.of("c|alice||root|1|0", "c|bob||root|10|0"), lines);
        }
    }

    @Test
    void accountUtilizationShowsRootsTotalThenEachUser() throws Exception {
        assertEquals(List.of(DASHES,
                "Cluster/Account/User Utilization 2026-11-24T00:00:00 - 2026-11-24T23:59:59 (86400 secs)",
                "Usage reported in CPU Hours",
                DASHES,
                "  Cluster         Account     Login     Proper Name     Used   Energy ",
                "--------- --------------- --------- --------------- -------- -------- ",
                "    cadre            root                                 14        0 ",
                "    cadre            root     alice     Alice Smith       12        0 ",
                "    cadre            root       bob                        2        0 "),
                report("-t", "hours", "cluster", "AccountUtilizationByUser"));
    }

    @Test
    void userUtilizationByAccountInParsableFormsAndPercentages() throws Exception {
        // Percent is of the cluster's CPU time: 16 CPUs for 86400 s.
        assertEquals(List.of("Cluster|Login|Proper Name|Account|Used|Energy",
                "cadre|alice|Alice Smith|root|3.12%|0.00%", "cadre|bob||root|0.52%|0.00%"),
                report("-P", "-t", "percent", "cluster", "UserUtilizationByAccount").subList(4, 7));
        assertEquals("Usage reported in Percentage of Total", report("-t", "p", "cluster", "UA").get(2));
        assertEquals(List.of("Cluster|Login|Proper Name|Account|Used|Energy|",
                "cadre|alice|Alice Smith|root|720(3.12%)|0(0.00%)|"),
                report("-p", "-t", "MinPer", "cluster", "UA", "Users=alice").subList(4, 6));
        assertEquals("cadre|alice|43200|", report("-p", "-n", "-t", "s", "cluster", "UA", "Format=Cl,Login,Used")
                .get(0));
    }

    @Test
    void aWidthGivenInFormatAndTheTresNameColumn() throws Exception {
        assertEquals(List.of("Login                     TRES Name     Used ",
                "-------------------- -------------- -------- ", "alice                           cpu      720 "),
                report("cluster", "UA", "Format=Login%-20,TresName,Used").subList(4, 7));
        assertEquals("  Cluster     Login     Proper Name         Account      TRES Name     Used ",
                report("-T", "cpu", "user", "top").get(4));
    }

    @Test
    void anAccountCadreHasNotLeavesOnlyTheHeader() throws Exception {
        assertEquals(6, report("cluster", "AccountUtilizationByUser", "Accounts=physics").size());
        assertEquals(9, report("cluster", "AccountUtilizationByUser", "Accounts=physics,root").size());
    }

    @Test
    void jobSizesGroupTheUsageOfEachJobSize() throws Exception {
        assertEquals(List.of(DASHES,
                "Job Sizes 2026-11-24T00:00:00 - 2026-11-24T23:59:59 (86400 secs)",
                "Time reported in Minutes",
                DASHES,
                "  Cluster   Account     0-49 CPUs   50-249 CPUs  250-499 CPUs  500-999 CPUs  >= 1000 CPUs % of cluster ",
                "--------- --------- ------------- ------------- ------------- ------------- ------------- ------------ ",
                "    cadre      root           840             0             0             0             0      100.00% "),
                report("job", "SizesByAccount"));
        assertEquals(List.of("Cluster|Account|0-1 CPUs|2-3 CPUs|>= 4 CPUs|% of cluster",
                "cadre|root|90|30|720|100.00%"), report("-P", "job", "SizesByAccount", "Grouping=2,4").subList(4, 6));
        assertEquals(List.of("Cluster|Account|1 CPUs|2 CPUs|4 CPUs|% of cluster", "cadre|root|12|1|3|100.00%"),
                report("-P", "job", "Sizes", "grouping=individual", "PrintJobCount").subList(4, 6));
        assertEquals("Units are in number of jobs ran", report("job", "s", "PrintJobCount").get(2));
        assertEquals(List.of("TRES type is cpu", "Time reported in Percentage of Total"),
                report("-T", "cpu", "-t", "percent", "job", "s").subList(2, 4));
    }

    @Test
    void noJobsLeaveTheJobSizesTableEmpty() throws Exception {
        SreportRequest r = SreportCommandLine.parse(List.of("-n", "job", "SizesByAccount"), Map.of()).report();
        assertEquals(List.of(), new SreportReport(r, DAY, new SreportUsage(16, List.of()), "c").lines(ZoneOffset.UTC,
                u -> null));
    }

    @Test
    void theUsageColumnWidensWithTheLargestFigure() {
        assertEquals(8, SreportFields.usageWidth(99_999_999L, SreportTime.MINUTES));
        assertEquals(9, SreportFields.usageWidth(100_000_000L, SreportTime.MINUTES));
        assertEquals(11, SreportFields.usageWidth(10_000_000_000L, SreportTime.MINUTES));
        assertEquals(17, SreportFields.usageWidth(5, SreportTime.HOURS_PERCENT));
    }
}
