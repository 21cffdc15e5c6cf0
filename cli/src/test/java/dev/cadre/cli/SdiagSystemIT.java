package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sdiag through bin/sdiag against 'cadre up': a few jobs run, sdiag counts them, its submissions and the scheduling
 * passes; -r by someone who is no operator is refused in slurmctld's words and resets nothing, by the head's owner it
 * starts the counts again; a head that cannot be reached is said as the other commands say it.
 */
class SdiagSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");

    private static List<String> sdiag(CadreProcess cadre, String... args) throws Exception {
        return cadre.ok("sdiag", args).out().lines().toList();
    }

    private static String line(List<String> lines, String start) {
        return lines.stream().filter(l -> l.startsWith(start)).findFirst().orElse("(no " + start.trim() + ")");
    }

    @Test
    void sdiagCountsTheJobsAndOnlyAnOperatorResetsIt() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        assertEquals("Reset scheduling statistics\n", cadre.ok("sdiag", "-r").out(), "the head's owner may");
        long ok1 = cadre.sbatch("--wrap", "true");
        long ok2 = cadre.sbatch("--wrap", "true");
        long failing = cadre.sbatch("--wrap", "exit 3");
        cadre.awaitState(ok1, "COMPLETED", WAIT);
        cadre.awaitState(ok2, "COMPLETED", WAIT);
        cadre.awaitState(failing, "FAILED", WAIT);
        List<String>[] last = new List[] {List.of()};
        // The figures follow SQLite's by a moment: the scheduler counts a change once it is stored.
        CadreProcess.await("sdiag to count the three jobs' ends", WAIT, () -> {
            try {
                last[0] = sdiag(cadre);
                return line(last[0], "Jobs completed:").equals("Jobs completed: 2")
                        && line(last[0], "Jobs failed:").equals("Jobs failed:    1");
            } catch (Exception e) {
                return false;
            }
        });
        List<String> out = last[0];
        assertEquals("*******************************************************", out.get(0));
        assertTrue(out.get(1).matches("sdiag output at \\w{3} \\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d \\d{4} \\(\\d+\\)"),
                out.get(1));
        assertTrue(out.get(2).startsWith("Data since      "), out.get(2));
        assertEquals(List.of("Jobs submitted: 3", "Jobs started:   3", "Jobs canceled:  0"), List.of(
                line(out, "Jobs submitted:"), line(out, "Jobs started:"), line(out, "Jobs canceled:")), out.toString());
        assertTrue(line(out, "\tSUBMIT_JOB ").matches("\tSUBMIT_JOB +count:3 +ave_time:\\d+ +total_time:\\d+"),
                out.toString());
        assertTrue(line(out, "\tRUNNER_FINISHED ").contains("count:3 "), "each job's end: " + out);
        assertTrue(Long.parseLong(line(out, "\tTotal cycles:").split(":")[1].trim()) > 0, out.toString());

        CadreProcess.Result refused = cadre.run(Map.of("CADRE_JAVA_OPTS", "-Duser.name=not-an-operator"), "sdiag",
                "-r");
        assertEquals(List.of(255, "", "slurm_reset_statistics: Access/permission denied\n"), List.of(refused.exit(),
                refused.out(), refused.err()));
        assertEquals("Jobs submitted: 3", line(sdiag(cadre), "Jobs submitted:"), "nothing was reset");

        assertEquals("Reset scheduling statistics\n", cadre.ok("sdiag", "--reset").out());
        List<String> after = sdiag(cadre);
        assertEquals(List.of("Jobs submitted: 0", "Jobs completed: 0"), List.of(line(after, "Jobs submitted:"),
                line(after, "Jobs completed:")));
        assertTrue(cadre.ok("sdiag", "--json").out().contains("\"submitted\":0"), "the REST API's report");
    }

    @Test
    void aHeadThatCannotBeReachedIsSaidAsTheOtherCommandsSayIt() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String client = Files.readString(cadre.dataDir.resolve("client.json"));
        Path elsewhere = cadre.workDir.resolve("elsewhere.json");
        Files.writeString(elsewhere, client.replaceAll("\"httpUrl\"\\s*:\\s*\"[^\"]*\"",
                "\"httpUrl\": \"http://127.0.0.1:" + CadreProcess.freePort() + "\""));
        CadreProcess.Result r = cadre.run("sdiag", "--config", elsewhere.toString());
        CadreProcess.Result sinfo = cadre.run("sinfo", "--config", elsewhere.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals(sinfo.err().replace("sinfo:", "sdiag:"), r.err(), "sinfo's words, sdiag's name");
        assertTrue(r.err().startsWith("sdiag: error: cannot reach Cadre at "), r.err());
    }
}
