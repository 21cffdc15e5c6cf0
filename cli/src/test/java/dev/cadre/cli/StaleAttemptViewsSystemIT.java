package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 110, findings 4 and 5, as the reviewer saw them: a node-runner stopped (SIGSTOP) past the head's node
 * timeout, its job requeued, then let go on (SIGCONT) still running the job's first attempt, whose script ignores
 * SIGTERM so that its kill takes the node's whole kill grace (10 s). While the head holds the attempt's core for
 * that kill, sinfo, scontrol and the REST API show it allocated, not the node idle beside a job waiting for it; once
 * the node reports the kill, the attempt's record (sacct -D, the REST API) ends when it really ended, not when the
 * head gave up on the node, and the job goes on to its second attempt unchanged. And when the script ends on its own
 * while its node-runner is away, the job, requeued and waiting its backoff, ends as the attempt did instead of
 * running a second time.
 */
class StaleAttemptViewsSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static void signal(String sig, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + sig + " " + pid);
    }

    /** A stopped node-runner is let go on first, or it would not see its SIGTERM. */
    private static void stop(Process runner, CadreProcess cadre) throws Exception {
        if (runner != null && runner.isAlive()) {
            signal("CONT", runner.pid());
            runner.destroy();
            runner.waitFor(30, TimeUnit.SECONDS);
        }
        cadre.stop();
    }

    private static Json job(CadreProcess cadre, long id) throws Exception {
        return Json.parse(cadre.restGet("/api/jobs/" + id));
    }

    private static Json node(CadreProcess cadre) throws Exception {
        Json nodes = Json.parse(cadre.restGet("/api/nodes"));
        assertEquals(1, nodes.size(), nodes.toString());
        return nodes.path(0);
    }

    @Test
    void aJobWhoseScriptEndedWhileItsNodeWasAwayEndsSoInsteadOfRunningAgain(@TempDir Path base) throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        cadre.startHead("server", "--node-timeout", "2", "--requeue-backoff", "120");
        Process runner = null;
        try {
            runner = cadre.startNode(base.resolve("a"), "h1");
            Path go = cadre.workDir.resolve("go");
            long id = cadre.sbatch("-w", "h1", "-c", "1", "--requeue", "--wrap",
                    "echo started; while [ ! -e go ]; do sleep 0.1; done; echo finished; exit 0");
            Path out = cadre.workDir.resolve("slurm-" + id + ".out");
            CadreProcess.await("attempt 1 to run", WAIT, () -> CadreProcess.read(out).contains("started"));

            signal("STOP", runner.pid());
            CadreProcess.await("attempt 1 to end NODE_FAIL", WAIT, () -> {
                try {
                    Json j = job(cadre, id);
                    return j.path("state").asText().equals("PENDING")
                            && j.path("attempts").path(0).path("state").asText().equals("NODE_FAIL");
                } catch (Exception e) {
                    return false;
                }
            });
            // The script ends while its node-runner is stopped: its wrapper, not stopped, records the end.
            Files.writeString(go, "");
            CadreProcess.await("the script to end on its own", WAIT, () -> CadreProcess.read(out).contains("finished"));
            signal("CONT", runner.pid());

            cadre.awaitState(id, "COMPLETED", WAIT);
            Json done = job(cadre, id);
            assertEquals(1, done.path("attempts").size(), done.toString());
            Json attempt = done.path("attempts").path(0);
            assertEquals("COMPLETED", attempt.path("state").asText(), attempt.toString());
            assertEquals(0, attempt.path("exitCode").asInt());
            List<String> rows = cadre.ok("sacct", "-j", "" + id, "-D", "-n", "-P", "-o", "JobID,State,ExitCode")
                    .out().lines().toList();
            assertEquals(id + "|COMPLETED|0:0", rows.get(0), rows.toString());
            assertTrue(rows.stream().allMatch(r -> r.contains("|COMPLETED|0:0")), "no NODE_FAIL left: " + rows);
            assertEquals("started\nfinished\n", Files.readString(out), "the script ran once");
        } finally {
            stop(runner, cadre);
        }
    }

    @Test
    void aStaleAttemptsHeldCoreShowsAllocatedAndItsRecordTakesItsRealEnd(@TempDir Path base) throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        cadre.startHead("server", "--node-timeout", "2");
        Process runner = null;
        try {
            runner = cadre.startNode(base.resolve("a"), "h1");
            int cores = node(cadre).path("cores").asInt();
            long id = cadre.sbatch("-w", "h1", "-c", "1", "--requeue", "--wrap",
                    "trap '' TERM; echo started; for i in $(seq 600); do sleep 1; done");
            Path out = cadre.workDir.resolve("slurm-" + id + ".out");
            CadreProcess.await("attempt 1 to run", WAIT, () -> CadreProcess.read(out).contains("started"));

            signal("STOP", runner.pid());
            Json[] seen = new Json[1];
            CadreProcess.await("attempt 1 to end NODE_FAIL", WAIT, () -> {
                try {
                    seen[0] = job(cadre, id);
                    return seen[0].path("attempts").size() == 1
                            && seen[0].path("attempts").path(0).path("state").asText().equals("NODE_FAIL");
                } catch (Exception e) {
                    return false;
                }
            });
            Instant givenUp = seen[0].path("attempts").path(0).path("endTime").asInstant();
            Instant resumed = Instant.now();
            signal("CONT", runner.pid());

            // Finding 4: the node is back UP, its core held until it confirms the kill of attempt 1.
            CadreProcess.await("h1 to be UP again", WAIT, () -> {
                try {
                    return node(cadre).path("state").asText().equals("UP");
                } catch (Exception e) {
                    return false;
                }
            });
            Json back = node(cadre);
            assertEquals(1, back.path("held").size(), "the stale attempt's core is held: " + back);
            assertEquals(id, back.path("held").path(0).path("jobId").asLong());
            assertEquals(1, back.path("held").path(0).path("attempt").asInt());
            assertEquals(1, back.path("allocated").path("cores").asInt(), back.toString());
            String shown = cadre.ok("sinfo", "-N", "-h", "-o", "%N %T %C").out();
            String scontrol = cadre.ok("scontrol", "show", "node", "h1").out();
            Json after = job(cadre, id);
            assertEquals(1, node(cadre).path("held").size(), "still held once sinfo answered");
            assertEquals(1, after.path("attempts").size(), "attempt 2 waits for the core: " + after);
            assertEquals("PENDING", after.path("state").asText());
            assertEquals("h1 " + (cores == 1 ? "allocated" : "mixed") + " 1/" + (cores - 1) + "/0/" + cores + "\n",
                    shown);
            assertTrue(scontrol.contains("CPUAlloc=1 "), scontrol);

            // Finding 5: the kill's end, reported by the node, is the attempt's end; nothing else changes.
            CadreProcess.await("attempt 1's record to take the end its node reported", WAIT, () -> {
                try {
                    return !job(cadre, id).path("attempts").path(0).path("endTime").asInstant().equals(givenUp);
                } catch (Exception e) {
                    return false;
                }
            });
            Json attempt = job(cadre, id).path("attempts").path(0);
            Instant realEnd = attempt.path("endTime").asInstant();
            assertTrue(!realEnd.isBefore(resumed.plusSeconds(5).truncatedTo(ChronoUnit.SECONDS)),
                    "killed after the node's kill grace from its return at " + resumed + ", not " + realEnd
                            + " (the head gave up at " + givenUp + ")");
            assertEquals("NODE_FAIL", attempt.path("state").asText());
            assertEquals(9, attempt.path("signal").asInt(), "SIGKILLed: " + attempt);
            // A heartbeat the node built before the kill ended may reach the head after runner-finished; it lists
            // attempt 1 again, which is held again (LostAttempts.holdForKill) until the node says it is gone.
            CadreProcess.await("h1's held core to be given back", WAIT, () -> {
                try {
                    return node(cadre).path("held").size() == 0;
                } catch (Exception e) {
                    return false;
                }
            });
            cadre.awaitState(id, "RUNNING", WAIT);
            Json second = job(cadre, id).path("attempts");
            assertEquals(2, second.size(), second.toString());
            assertEquals(realEnd, second.path(0).path("endTime").asInstant(), "attempt 2 leaves attempt 1 alone");
            String end = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").format(LocalDateTime.ofInstant(realEnd,
                    ZoneId.systemDefault()));
            List<String> rows = cadre.ok("sacct", "-j", "" + id, "-D", "-n", "-P", "-o", "State,End,ExitCode").out()
                    .lines().toList();
            assertTrue(rows.contains("NODE_FAIL|" + end + "|0:9"), rows + " should show attempt 1 ending " + end);
            assertTrue(Files.readString(out).contains("started"));
            cadre.ok("scancel", "" + id);
            // Until the node reports the kill done (COMPLETING until then): stopped before, it leaves the job running.
            cadre.awaitState(id, "CANCELLED", WAIT);
        } finally {
            stop(runner, cadre);
        }
    }
}
