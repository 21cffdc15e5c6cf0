package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.MessageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standing services, time limits with warning signals, and dependencies on jobs that ended long before,
 * through the CLI and REST against 'cadre up' as its own process, with real job processes.
 */
class ServicesAndLimitsSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    static Path base;
    private static CadreProcess cadre;

    @BeforeAll
    static void up() throws Exception {
        (cadre = new CadreProcess(base)).up("--cores", "4", "--kill-grace", "2");
    }

    @AfterAll
    static void down() throws Exception {
        cadre.stop();
    }

    private static CadreProcess.Result ok(String command, String... args) throws Exception {
        return cadre.ok(command, args);
    }

    private static JsonNode service(String name) throws Exception {
        for (JsonNode s : MessageCodec.mapper().readTree(cadre.restGet("/api/services"))) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static void awaitService(String name, String what, java.util.function.Predicate<JsonNode> test)
            throws Exception {
        CadreProcess.await("service " + name + " " + what, WAIT, Duration.ofMillis(200), () -> {
            try {
                JsonNode s = service(name);
                return test.test(s);
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void aServiceKeepsItsReplicasRunningReplacesACancelledOneAndStopsOnDelete() throws Exception {
        ok("cadre", "service", "create", "--name", "sleepers", "--replicas", "2", "--", "sleep", "300");
        awaitService("sleepers", "to run 2 instances", s -> s != null && s.path("running").asInt() == 2);
        String listed = ok("cadre", "service", "list").out();
        assertTrue(listed.contains("sleepers") && listed.contains("ACTIVE"), listed);
        JsonNode jobs = MessageCodec.mapper().readTree(cadre.restGet("/api/jobs?state=RUNNING"));
        long instance = jobs.get(0).path("id").asLong();
        ok("scancel", "" + instance);
        cadre.awaitState(instance, "CANCELLED", WAIT);
        awaitService("sleepers", "to replace the cancelled instance", s -> s.path("running").asInt() == 2);
        assertEquals(0, service("sleepers").path("consecutiveFailures").asInt(), "a cancel is no failure");
        CadreProcess.Result again = cadre.run("cadre", "service", "create", "--name", "sleepers", "--replicas", "1", "--",
                "true");
        assertEquals(1, again.exit(), again.toString());
        assertTrue(again.err().contains("already exists"), again.err());

        ok("cadre", "service", "delete", "sleepers");
        awaitService("sleepers", "to be gone", s -> s == null);
        CadreProcess.await("no instance left running", WAIT, () -> {
            try {
                return MessageCodec.mapper().readTree(cadre.restGet("/api/jobs?state=RUNNING,COMPLETING")).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void aFailingServiceBacksOffAndStopsWhenItsFailureBudgetIsSpent() throws Exception {
        ok("cadre", "service", "create", "--name", "broken", "--replicas", "1", "--max-failures", "3", "--", "sh", "-c",
                "exit 3");
        awaitService("broken", "to turn FAILED", s -> s != null && s.path("state").asText().equals("FAILED"));
        JsonNode s = service("broken");
        assertEquals(3, s.path("consecutiveFailures").asInt());
        assertTrue(s.path("lastError").asText().contains("exit code 3"), s.toString());
        assertTrue(ok("cadre", "service", "list").out().contains("exit code 3"));
        CadreProcess.Result missing = cadre.run("cadre", "service", "delete", "nothing-here");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        ok("cadre", "service", "delete", "broken");
        awaitService("broken", "to be gone", x -> x == null);
    }

    @Test
    void overItsLimitAJobGetsItsWarningThenEndsTimeout() throws Exception {
        Path marker = cadre.workDir.resolve("warned.txt");
        long id = cadre.sbatch("-t", "0:04", "--signal=B:USR1@2", "--wrap",
                "trap 'echo warned > " + marker + "' USR1; while true; do sleep 0.2; done");
        cadre.awaitState(id, "TIMEOUT", WAIT);
        assertEquals("warned\n", Files.readString(marker));
        Map<String, String> row = cadre.sacct(id);
        assertEquals("TIMEOUT", row.get("state"), row.toString());
    }

    @Test
    void aDependencyOnAJobThatEndedLongAgoIsJudgedNotIgnored() throws Exception {
        long failed = cadre.sbatch("--wrap", "exit 1");
        cadre.awaitState(failed, "FAILED", WAIT);
        long onFailure = cadre.sbatch("-d", "afternotok:" + failed, "--wrap", "echo ran");
        cadre.awaitState(onFailure, "COMPLETED", WAIT);
        long onSuccess = cadre.sbatch("-d", "afterok:" + failed, "--wrap", "echo never");
        cadre.awaitState(onSuccess, "CANCELLED", WAIT);
        CadreProcess.Result unknown = cadre.run("sbatch", "-d", "afterok:999999", "--wrap", "true");
        assertEquals(1, unknown.exit(), unknown.toString());
    }
}
