package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sstat end to end against 'cadre up': the head asks the node that runs the job what it has used so far (read-usage),
 * and sstat prints it in Slurm's forms while the job runs; a job that has ended is refused, pointing to sacct. The
 * figures depend on the machine, so their forms and growth are checked, not their values.
 */
class SstatSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void aRunningJobsUsageShowsAndGrowsAndAnEndedJobIsRefused() throws Exception {
        // Holds about 20 MB in the shell's memory and spins until the test lets it end (at most 20 million turns).
        long id = cadre.sbatch("-J", "spins", "--wrap", "x=$(head -c 20000000 /dev/zero | tr '\\0' a); i=0;"
                + " while [ ! -e sstat-stop ] && [ $i -lt 20000000 ]; do i=$((i+1)); done; echo ${#x}");
        cadre.awaitState(id, "RUNNING", WAIT);
        String host = Json.parse(cadre.restGet("/api/nodes")).path(0).path("hostname").asText();
        try {
            AtomicReference<String[]> row = new AtomicReference<>();
            CadreProcess.await("sstat to show the job holding its 20 MB", WAIT, Duration.ofMillis(250), () -> {
                String[] r = fields("-o", "JobID,AveCPU,MinCPU,MinCPUNode,MaxRSS,MaxRSSNode,NTasks", "-j",
                        "" + id);
                row.set(r);
                return r.length == 7 && !r[4].isEmpty() && SacctUsageSystemIT.bytes(r[4]) >= 10_000_000;
            });
            String[] first = row.get();
            assertEquals(id + ".batch", first[0], Arrays.toString(first));
            assertTrue(first[1].matches(SacctUsageSystemIT.CPU), "AveCPU in Slurm's form: "
                    + Arrays.toString(first));
            assertEquals(first[1], first[2], "one task: its CPU time is the least and the average");
            assertEquals(List.of(host, host, "1"), List.of(first[3], first[5], first[6]), Arrays.toString(first));

            // Its address space holds at least what it holds; it has read and written (a count, maybe 0) on its node.
            String[] sizes = fields("-o", "MaxVMSize,MaxVMSizeNode,MaxDiskRead,MaxDiskWriteNode", "-j", "" + id);
            assertTrue(SacctUsageSystemIT.bytes(sizes[0]) >= 10_000_000, Arrays.toString(sizes));
            assertEquals(host, sizes[1], Arrays.toString(sizes));
            assertTrue(sizes[2].matches("0|\\d+(\\.\\d\\d)?[KMGTP]?"), "MaxDiskRead in sstat's form: "
                    + Arrays.toString(sizes));
            assertEquals(host, sizes[3], Arrays.toString(sizes));

            String[] pids = fields("-i", "-j", id + ".batch");
            assertEquals(id + ".batch", pids[0], Arrays.toString(pids));
            assertEquals(host, pids[1], Arrays.toString(pids));
            assertTrue(pids[2].matches("\\d+(,\\d+)*"), "the job's processes: " + Arrays.toString(pids));
            for (String pid : pids[2].split(",")) {
                assertTrue(Files.exists(java.nio.file.Path.of("/proc", pid)), "process " + pid + " runs");
            }

            Json api = Json.parse(cadre.restGet("/api/jobs/" + id + "/usage"));
            long cpu = api.path("nodes").path(0).path("usage").path("userCpuMicros").asLong();
            CadreProcess.await("the job's CPU time to grow", WAIT, Duration.ofMillis(250), () -> {
                try {
                    return Json.parse(cadre.restGet("/api/jobs/" + id + "/usage")).path("nodes").path(0)
                            .path("usage").path("userCpuMicros").asLong() > cpu;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            CadreProcess.Result other = cadre.run("sstat", "-j", id + ".0");
            assertNotEquals(0, other.exit());
            assertTrue(other.err().startsWith("sstat: error: "), other.err());
        } finally {
            Files.writeString(cadre.workDir.resolve("sstat-stop"), "");
        }
        cadre.awaitState(id, "COMPLETED", WAIT);
        CadreProcess.Result ended = cadre.run("sstat", "-j", "" + id);
        assertNotEquals(0, ended.exit(), ended.out());
        assertTrue(ended.err().contains("COMPLETED"), "says why: " + ended.err());
    }

    /** The one row sstat prints for these options, parsable, split into its fields. */
    private static String[] fields(String... options) {
        try {
            String[] args = new String[options.length + 2];
            args[0] = "-n";
            args[1] = "-P";
            System.arraycopy(options, 0, args, 2, options.length);
            CadreProcess.Result r = cadre.run("sstat", args);
            assertEquals(0, r.exit(), r.err());
            List<String> rows = r.out().lines().toList();
            assertEquals(1, rows.size(), r.out());
            return rows.get(0).split("\\|", -1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
