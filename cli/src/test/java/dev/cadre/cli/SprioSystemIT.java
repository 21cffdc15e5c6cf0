package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sprio end to end against 'cadre up' with one core: one job runs, the others wait, and sprio shows the waiting ones
 * with the priority squeue shows, split into Slurm's factors, in the order the scheduler starts them.
 */
class SprioSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "1");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void pendingJobsShowTheirFactorsInTheSchedulersOrder() throws Exception {
        Path gate = cadre.workDir.resolve("sprio-gate");
        Path order = cadre.workDir.resolve("sprio-order.txt");
        String waits = "while [ ! -f " + gate + " ]; do sleep 0.1; done";
        long blocker = cadre.sbatch("--wrap", waits);
        cadre.awaitState(blocker, "RUNNING", WAIT);
        long first = cadre.sbatch("--wrap", "echo first >> " + order);
        long niced = cadre.sbatch("--nice=100", "--wrap", "echo niced >> " + order);
        long second = cadre.sbatch("--wrap", "echo second >> " + order);
        long fixed = cadre.sbatch("--wrap", "echo fixed >> " + order);
        long held = cadre.sbatch("--hold", "--wrap", "true");
        cadre.ok("scontrol", "update", "JobId=" + fixed, "Priority=2000000");
        try {
            List<String> rows = cadre.ok("sprio", "-h", "-S", "-y", "-o", "%i|%Y|%S|%A|%N|%u").out().lines().toList();
            assertEquals(List.of(fixed, first, second, niced),
                    rows.stream().map(r -> Long.parseLong(r.split("\\|")[0])).toList(),
                    "highest priority first, the held and the running job left out: " + rows);
            assertEquals(fixed + "|2000000|0|0|0|" + System.getProperty("user.name"), rows.get(0),
                    "a fixed priority stands alone");
            for (String row : rows.subList(1, 4)) {
                String[] f = row.split("\\|");
                long id = Long.parseLong(f[0]);
                long age = Long.parseLong(f[3]);
                int nice = id == niced ? 100 : 0;
                assertEquals(List.of("1000000", Integer.toString(nice)), List.of(f[2], f[4]), row);
                assertEquals(1_000_000 + age - nice, Long.parseLong(f[1]), "site + age - nice: " + row);
                assertTrue(age >= 0 && age <= 2, row);
                assertEquals(f[1], cadre.ok("squeue", "-h", "-j", f[0], "-o", "%Q").out().strip(),
                        "squeue's %Q: " + row);
            }

            String header = cadre.ok("sprio", "-w").out();
            assertEquals("          JOBID PARTITION   PRIORITY       SITE        AGE\n"
                    + "        Weights                               1      10080\n", header);
            assertEquals(new CadreProcess.Result(0, "Unable to find jobs matching user/id(s) specified\n", ""),
                    cadre.run("sprio", "-j", held + "," + blocker + ",987654"));
            CadreProcess.Result bad = cadre.run("sprio", "-S", "z");
            assertEquals(new CadreProcess.Result(1, "", "sprio: error: Invalid sort specification: z\n"), bad);
        } finally {
            Files.writeString(gate, "");
        }
        cadre.awaitState(niced, "COMPLETED", WAIT);
        assertEquals("fixed\nfirst\nsecond\nniced\n", Files.readString(order), "the scheduler's order is sprio's");
        cadre.ok("scancel", "" + held);
    }
}
