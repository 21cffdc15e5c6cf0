package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sreport cluster Utilization through bin/sreport against 'cadre server' and one node-runner: a job runs, the
 * node-runner is killed with SIGKILL, and once the head has marked it DOWN (sinfo -R says why) the report shows Down
 * time, the job's CPU-seconds as Allocated (what AccountUtilizationByUser says of the same period), and Reported as
 * the sum of the parts. sreport's periods are whole hours, so the report runs from this hour's start.
 */
class SreportUtilizationSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static List<String> report(CadreProcess cadre, String start, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("-P", "-n", "-t", "Seconds"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("Start=" + start, "End=now"));
        return cadre.ok("sreport", argv.toArray(new String[0])).out().lines().toList();
    }

    @Test
    void aKilledNodeRunnersDownTimeShowsAndAllocatedMatchesTheOtherReports(@TempDir Path base) throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        // The node, its job and the reports must fall in one hour: near its end, wait for the next.
        CadreProcess.await("a minute with time left in its hour", Duration.ofMinutes(4), Duration.ofSeconds(1),
                () -> LocalDateTime.now().getMinute() < 57);
        String start = LocalDateTime.now().truncatedTo(ChronoUnit.HOURS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        cadre.startHead("server", "--node-timeout", "2");
        Process node = cadre.startNode(base.resolve("a"), "u1");
        try {
            long job = cadre.sbatch("-c", "1", "--wrap", "sleep 2");
            cadre.awaitState(job, "COMPLETED", WAIT);
            node.destroyForcibly();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node-runner is gone");
            CadreProcess.await("sinfo -R to list u1 not responding", WAIT, () -> {
                try {
                    return cadre.ok("sinfo", "-R", "-h", "-o", "%E|%N").out().equals("Not responding|u1\n");
                } catch (Exception e) {
                    return false;
                }
            });
            CadreProcess.await("a few seconds of u1 down", WAIT, () -> {
                try {
                    return Long.parseLong(report(cadre, start, "cluster", "Utilization").get(0).split("\\|")[2]) >= 3;
                } catch (Exception e) {
                    return false;
                }
            });
            List<String> utilization = report(cadre, start, "cluster", "Utilization");
            assertEquals(1, utilization.size(), utilization.toString());
            String[] f = utilization.get(0).split("\\|");
            long allocated = Long.parseLong(f[1]);
            long down = Long.parseLong(f[2]);
            assertEquals(List.of("0", "0"), List.of(f[3], f[5]), "PLND Down and Planned");
            assertEquals(Long.parseLong(f[6]), allocated + down + Long.parseLong(f[4]), utilization.toString());
            assertTrue(allocated >= 2, utilization.toString());
            String[] root = report(cadre, start, "cluster", "AccountUtilizationByUser").get(0).split("\\|");
            assertEquals(Long.parseLong(root[root.length - 2]), allocated, "root's total: " + String.join("|", root));
            CadreProcess.Result refused = cadre.run("sreport", "cluster", "Utilization", "Users=alice");
            assertEquals(1, refused.exit(), refused.toString());
        } finally {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
            cadre.stop();
        }
    }
}
