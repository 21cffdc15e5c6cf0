package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * seff through bin/seff against 'cadre up': a job that spins on the CPU and holds memory gets seff's report with
 * figures that fit what it did (their values depend on the machine), a held job seff's pending report, and an
 * unknown job or a bad command line seff's texts and exit codes.
 */
class SeffSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CLOCK = "\\d{2}:\\d{2}:\\d{2}";
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    private static long seconds(String clock) {
        String[] p = clock.split(":");
        return Long.parseLong(p[0]) * 3600 + Long.parseLong(p[1]) * 60 + Long.parseLong(p[2]);
    }

    private static Matcher line(List<String> lines, int index, String regex) {
        Matcher m = Pattern.compile(regex).matcher(lines.get(index));
        assertTrue(m.matches(), "line " + index + " is " + regex + ": " + lines);
        return m;
    }

    @Test
    void aJobThatSpunAndHeldMemoryGetsPlausibleFigures() throws Exception {
        // Holds about 20 MB in the shell's memory, then spins on the CPU for a second and more.
        long id = cadre.sbatch("-J", "eff", "-c", "2", "--mem=200M", "--wrap", "x=$(head -c 20000000 /dev/zero | tr"
                + " '\\0' a); timeout 2 sh -c 'while :; do :; done'; echo ${#x}");
        cadre.awaitState(id, "COMPLETED", WAIT);
        CadreProcess.Result r = cadre.run("seff", "" + id);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(11, lines.size(), r.out());
        String user = System.getProperty("user.name");
        assertEquals(List.of("Job ID: " + id, "Cluster: " + System.getenv().getOrDefault("SLURM_CLUSTER_NAME",
                "cadre")), lines.subList(0, 2));
        line(lines, 2, "User/Group: " + Pattern.quote(user) + "/\\S+");
        assertEquals(List.of("State: COMPLETED (exit code 0)", "Nodes: 1", "Cores per node: 2"), lines.subList(3, 6));
        long cpu = seconds(line(lines, 6, "CPU Utilized: (" + CLOCK + ")").group(1));
        Matcher efficiency = line(lines, 7, "CPU Efficiency: (\\d+\\.\\d{2})% of (" + CLOCK + ") core-walltime");
        long wall = seconds(line(lines, 8, "Job Wall-clock time: (" + CLOCK + ")").group(1));
        assertTrue(cpu >= 1 && wall >= 2, "it spun at least a second of its two: " + lines);
        assertEquals(2 * wall, seconds(efficiency.group(2)), "core-walltime is the two cores' wall time: " + lines);
        assertEquals(100.0 * cpu / (2 * wall), Double.parseDouble(efficiency.group(1)), 0.01, lines.toString());
        Matcher memory = line(lines, 9, "Memory Utilized: (\\d+\\.\\d{2}) MB");
        assertTrue(Double.parseDouble(memory.group(1)) >= 10, "it held 20 MB: " + lines);
        Matcher share = line(lines, 10, "Memory Efficiency: (\\d+\\.\\d{2})% of 200\\.00 MB");
        assertEquals(Double.parseDouble(memory.group(1)) / 2, Double.parseDouble(share.group(1)), 0.01,
                lines.toString());

        CadreProcess.Result debug = cadre.run("seff", "-d", "" + id);
        assertTrue(debug.out().startsWith("Slurm data: JobID ArrayJobID User Group State Clustername Ncpus Nnodes"
                + " Ntasks Reqmem PerNode Cput Walltime Mem ExitStatus\nSlurm data: " + id + "  " + user + " "),
                debug.out());
        assertTrue(debug.out().endsWith("\n\n" + r.out()), debug.out());
    }

    @Test
    void aHeldJobHasNoEfficiencyYet() throws Exception {
        long id = cadre.sbatch("-H", "--wrap", "true");
        CadreProcess.Result r = cadre.run("seff", "" + id);
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of("State: PENDING", "Cores: 1", "Efficiency not available for jobs in the PENDING state."),
                lines.subList(3, lines.size()), r.out());
        cadre.ok("scancel", "" + id);
    }

    @Test
    void anUnknownJobAndABadCommandLineGetSeffsTextsAndExitCodes() throws Exception {
        assertEquals(new CadreProcess.Result(2, "", "Job not found.\n"), cadre.run("seff", "999999"));
        CadreProcess.Result usage = cadre.run("seff");
        assertEquals(1, usage.exit());
        assertTrue(usage.out().startsWith("Usage: seff [Options] <Jobid>\n"), usage.out());
        assertEquals(usage, cadre.run("seff", "1", "2"));
        assertEquals(usage, cadre.run("seff", "-h", "1"));
        assertEquals(new CadreProcess.Result(1, "seff Version 2.1\n", ""), cadre.run("seff", "-v"));
        CadreProcess.Result bad = cadre.run("seff", "abc");
        assertEquals(1, bad.exit());
        assertEquals("seff: fatal: Bad job/step specified: abc\n", bad.err());
        CadreProcess.Result unknownOption = cadre.run("seff", "-x", "999999");
        assertEquals(new CadreProcess.Result(2, "", "Unknown option: x\nJob not found.\n"), unknownOption);
        assertFalse(unknownOption.out().contains("Usage"));
    }
}
