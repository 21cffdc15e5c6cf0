package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a job's script used, end to end against 'cadre up': its node measures it and sends it with runner-finished,
 * the head keeps it with the attempt, the REST API shows it and sacct prints it in Slurm's forms (TotalCPU, UserCPU,
 * SystemCPU on the job's and the batch step's rows, the memory peak on the step's). The figures depend on the
 * machine, so their forms and sizes are checked, not their values.
 */
class SacctUsageSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** _elapsed_time's forms: MM:SS.mmm, 00:MM:SS, HH:MM:SS, D-HH:MM:SS. */
    static final String CPU = "(\\d{2}:\\d{2}\\.\\d{3}|\\d{2}:\\d{2}:\\d{2}|\\d+-\\d{2}:\\d{2}:\\d{2})";
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    /** MaxRSS back in bytes: convert_num_unit's number with K, M, G, T or P of 1024, or none. */
    static double bytes(String maxRss) {
        int unit = "KMGTP".indexOf(maxRss.charAt(maxRss.length() - 1)) + 1;
        String number = unit == 0 ? maxRss : maxRss.substring(0, maxRss.length() - 1);
        return Double.parseDouble(number) * Math.pow(1024, unit);
    }

    @Test
    void aJobsCpuTimeAndMemoryPeakShowInSacctAndTheApi() throws Exception {
        // Holds about 20 MB in the shell's memory, and spins a while on the CPU.
        long id = cadre.sbatch("-J", "used", "--wrap", "x=$(head -c 20000000 /dev/zero | tr '\\0' a);"
                + " i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo ${#x}");
        cadre.awaitState(id, "COMPLETED", WAIT);

        Json attempt = Json.parse(cadre.restGet("/api/jobs/" + id)).path("attempts").path(0);
        Json usage = attempt.path("usage");
        assertTrue(usage.isObject(), "the node reported what the attempt used: " + attempt);
        long cpu = usage.path("userCpuMicros").asLong() + usage.path("systemCpuMicros").asLong();
        assertTrue(cpu > 0, "it spun on the CPU: " + usage);
        assertTrue(usage.path("maxRssBytes").asLong() >= 10_000_000L, "it held 20 MB: " + usage);

        List<String> rows = cadre.ok("sacct", "-j", "" + id, "-n", "-P", "-o",
                "JobID,TotalCPU,UserCPU,SystemCPU,MaxRSS,AveRSS,MaxRSSNode,MaxRSSTask,NodeList").out().lines()
                .toList();
        assertEquals(2, rows.size(), rows.toString());
        String[] job = rows.get(0).split("\\|", -1);
        String[] step = rows.get(1).split("\\|", -1);
        assertEquals(List.of("" + id, id + ".batch"), List.of(job[0], step[0]));
        for (int f = 1; f <= 3; f++) {
            assertTrue(job[f].matches(CPU), "a CPU time in sacct's form: " + rows);
            assertEquals(job[f], step[f], "the job's CPU times are its batch step's: " + rows);
        }
        assertEquals(List.of("", "", "", ""), List.of(job[4], job[5], job[6], job[7]),
                "Slurm leaves the memory figures off the job's own row: " + rows);
        assertTrue(step[4].matches("\\d+(\\.\\d{2})?[KMGTP]?"), "MaxRSS in convert_num_unit's form: " + rows);
        assertTrue(bytes(step[4]) >= 10_000_000, rows.toString());
        assertEquals(step[4], step[5], "one task: its peak is the average");
        assertEquals(step[8], step[6], "the node of the script");
        assertEquals("0", step[7]);

        String kilo = cadre.ok("sacct", "-j", "" + id, "-n", "-P", "-o", "JobID,MaxRSS", "--units=K").out().lines()
                .filter(l -> l.startsWith(id + ".batch|")).findFirst().orElseThrow();
        assertTrue(kilo.matches(id + "\\.batch\\|\\d+(\\.\\d{2})?K"), kilo);
        assertEquals("", cadre.ok("sacct", "-j", "" + id, "-n", "-P", "-o", "JobID,State").err(),
                "plain sacct as before");
    }

    @Test
    void aFinishedJobsDiskWritesAndVirtualMemoryPeakShowInSacct() throws Exception {
        // Writes 4 MiB (synced, so on a disk they reach storage; a tmpfs counts 0) and lives past two memory samples.
        long id = cadre.sbatch("-J", "wrote", "--wrap", "dd if=/dev/zero of=wrote-$SLURM_JOB_ID bs=64k count=64"
                + " conv=fsync status=none; rm -f wrote-$SLURM_JOB_ID; sleep 2.5");
        cadre.awaitState(id, "COMPLETED", WAIT);
        List<String> rows = cadre.ok("sacct", "-j", "" + id, "-n", "-P", "-o",
                "JobID,MaxDiskWrite,MaxDiskRead,MaxVMSize,MaxDiskWriteNode,NodeList").out().lines().toList();
        assertEquals(2, rows.size(), rows.toString());
        String[] job = rows.get(0).split("\\|", -1);
        String[] step = rows.get(1).split("\\|", -1);
        assertEquals(List.of("", "", ""), List.of(job[1], job[2], job[3]), "not on the job's own row: " + rows);
        for (int f = 1; f <= 3; f++) {
            assertTrue(step[f].matches("\\d+(\\.\\d{2})?[KMGTP]?"), "in convert_num_unit's form: " + rows);
        }
        assertTrue(bytes(step[3]) > 0, "a process holds some address space: " + rows);
        assertEquals(step[5], step[4], "the node of the script");
    }
}
