package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sreport through bin/sreport against 'cadre up': ann's 2-CPU job and bob's 1-CPU job (submitted under those names)
 * ran this hour; TopUsage puts ann first, and each user's CPU-seconds are what sacct says the job held (its elapsed
 * time times its CPUs). sreport's periods are whole hours, so the report runs from this hour's start.
 */
class SreportSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "4");
    private static CadreProcess cadre;
    private static String start;
    private static long ann;
    private static long bob;
    private static String cluster;

    @BeforeAll
    static void jobs() throws Exception {
        cadre = HEAD.cadre();
        cluster = System.getenv().getOrDefault("SLURM_CLUSTER_NAME", "cadre");
        // The jobs and the reports must fall in one hour: near its end, wait for the next.
        CadreProcess.await("a minute with time left in its hour", Duration.ofMinutes(4), Duration.ofSeconds(1),
                () -> LocalDateTime.now().getMinute() < 57);
        start = LocalDateTime.now().truncatedTo(ChronoUnit.HOURS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        ann = submitAs("sreport-ann", "-c", "2", "--wrap", "sleep 4");
        bob = submitAs("sreport-bob", "-c", "1", "--wrap", "sleep 1");
        cadre.awaitState(ann, "COMPLETED", WAIT);
        cadre.awaitState(bob, "COMPLETED", WAIT);
    }

    private static long submitAs(String user, String... args) throws Exception {
        CadreProcess.Result r = cadre.run(Map.of("CADRE_JAVA_OPTS", "-Duser.name=" + user), "sbatch", args);
        assertTrue(r.exit() == 0 && r.out().startsWith("Submitted batch job "), r.toString());
        return Long.parseLong(r.out().trim().substring("Submitted batch job ".length()));
    }

    /** What sacct says the job held: its elapsed seconds times its CPUs. */
    private static long held(long id) throws Exception {
        String[] f = cadre.ok("sacct", "-X", "-n", "-P", "-j", "" + id, "--format", "User,AllocCPUS,ElapsedRaw").out()
                .trim().split("\\|");
        return Long.parseLong(f[1]) * Long.parseLong(f[2]);
    }

    private static List<String> report(String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("-P", "-n", "-t", "Seconds"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("Start=" + start, "End=now"));
        return cadre.ok("sreport", argv.toArray(new String[0])).out().lines().toList();
    }

    private static long used(String line) {
        String[] f = line.split("\\|");
        return Long.parseLong(f[f.length - 2]);
    }

    @Test
    void topUsageOrdersTheUsersByTheCpuTimeTheirJobsHeld() throws Exception {
        List<String> top = report("user", "TopUsage");
        assertEquals(2, top.size(), top.toString());
        assertTrue(top.get(0).startsWith(cluster + "|sreport-ann||root|"), top.toString());
        assertTrue(top.get(1).startsWith(cluster + "|sreport-bob||root|"), top.toString());
        // The head counts milliseconds and sacct whole seconds: a CPU-second or two apart at most per CPU.
        assertEquals(held(ann), used(top.get(0)), 4, top.toString());
        assertEquals(held(bob), used(top.get(1)), 2, top.toString());
        assertTrue(used(top.get(0)) >= 8 && used(top.get(1)) >= 1, top.toString());
        assertEquals(top.subList(0, 1), report("user", "TopUsage", "TopCount=1"));
        assertEquals(top.subList(1, 2), report("user", "TopUsage", "Users=sreport-bob"));
    }

    @Test
    void accountUtilizationShowsRootsTotalThenEachUserAndJobSizesSplitThem() throws Exception {
        List<String> accounts = report("cluster", "AccountUtilizationByUser");
        assertEquals(3, accounts.size(), accounts.toString());
        assertTrue(accounts.get(0).startsWith(cluster + "|root|||"), accounts.toString());
        assertEquals(used(accounts.get(1)) + used(accounts.get(2)), used(accounts.get(0)), accounts.toString());
        assertTrue(accounts.get(1).startsWith(cluster + "|root|sreport-ann||"), accounts.toString());

        List<String> sizes = report("job", "SizesByAccount", "Grouping=2");
        assertEquals(1, sizes.size(), sizes.toString());
        String[] f = sizes.get(0).split("\\|");
        assertEquals(List.of(cluster, "root", "100.00%"), List.of(f[0], f[1], f[4]), sizes.toString());
        assertEquals(used(accounts.get(2)), Long.parseLong(f[2]), "bob's 1-CPU job is in 0-1 CPUs");
        assertEquals(used(accounts.get(1)), Long.parseLong(f[3]), "ann's 2-CPU job in >= 2 CPUs");
    }

    @Test
    void reportsCadreCannotMakeAndBadCommandsGetTheirTexts() throws Exception {
        CadreProcess.Result wckeys = cadre.run("sreport", "cluster", "WCKeyUtilizationByUser");
        assertEquals(1, wckeys.exit());
        assertTrue(wckeys.err().contains("Cadre keeps no WCKeys"), wckeys.toString());
        assertEquals(new CadreProcess.Result(1, "", "Not valid report Bottom\nValid user reports are, \"Top\"\n"),
                cadre.run("sreport", "user", "Bottom"));
        CadreProcess.Result help = cadre.run("sreport", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("sreport [<OPTION>] [<COMMAND>]\n"), help.out());
    }
}
