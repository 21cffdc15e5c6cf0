package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How scontrol words the API's refusals, and what it answers without the API. */
class ScontrolCommandTest {

    /** exit code, stdout, stderr; the config names no head, so anything that asked the API would fail */
    private static List<Object> run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new ScontrolCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "/nonexistent/client.json", Clock.systemUTC())
                .run(List.of(args), false, env);
        return List.of(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void showHostnamesNeedsNoHead() {
        assertEquals(List.of(0, "n1\nn2\nn3\n", ""), run(Map.of(), "show", "hostnames", "n[1-3]"));
        assertEquals(List.of(0, "a1\nb\n", ""), run(Map.of("SLURM_JOB_NODELIST", "a1,b"), "show", "hostn"));
        assertEquals(List.of(1, "", "scontrol: error: host list is empty\n"), run(Map.of(), "show", "hostnames"));
        assertEquals(List.of(0, "n1\n", ""), run(Map.of(), "-o", "show", "hostnames", "n1"));
    }

    @Test
    void optionsAreReadAsGetoptReadsThem() {
        assertEquals(List.of(1, "", "scontrol: unrecognized option '--bogus'\n"
                + "Try \"scontrol --help\" for more information\n"), run(Map.of(), "--bogus", "show", "job"));
        assertEquals(List.of(1, "", "scontrol: error: --details is not supported by this Cadre version\n"),
                run(Map.of(), "-d", "show", "job", "1"));
    }

    @Test
    void scontrolWordsARefusalAsSlurmDoesByTheJobsState() {
        assertEquals("Invalid job id specified", ScontrolCommand.refusal("hold",
                new RestClient.ClientException(404, "job 9 does not exist")));
        assertEquals("Job is no longer pending execution", ScontrolCommand.refusal("update",
                new RestClient.ClientException(409, "job 9 is RUNNING; only pending jobs can be updated", "RUNNING")));
        assertEquals("Job is pending execution", ScontrolCommand.refusal("requeue",
                new RestClient.ClientException(409, "only a running job can be requeued", "PENDING")));
        assertEquals("Job has already finished", ScontrolCommand.refusal("release",
                new RestClient.ClientException(409, "job 9 is unknown or already finished", null)));
        assertEquals("Job/step already completing or completed", ScontrolCommand.refusal("requeue",
                new RestClient.ClientException(409, "job 9 is COMPLETING", "COMPLETING")));
        assertEquals("job 9 is not held", ScontrolCommand.refusal("release",
                new RestClient.ClientException(409, "job 9 is not held", "PENDING")));
    }

    /**
     * A head whose scheduler leaves a change unanswered (504 after 30 s, as while SQLite is locked) may carry it out
     * later: scontrol and scancel send it again under its one Idempotency-Key while their patience lasts (here 2 s),
     * then say so and how to check, as a repeated TimeLimit+=5 was applied twice.
     */
    @Test
    void aChangeLeftUnansweredIsSaidToMayStillBeCarriedOutAndHowToCheck(@TempDir Path dir) throws Exception {
        HttpServer head = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        head.createContext("/", x -> {
            keys.add(x.getRequestHeaders().getFirst("Idempotency-Key"));
            byte[] body = "{\"status\":504,\"detail\":\"the scheduler did not answer within 30 s\"}"
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(504, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        head.start();
        try {
            Path config = dir.resolve("client.json");
            Files.writeString(config, "{\"httpUrl\":\"http://127.0.0.1:" + head.getAddress().getPort()
                    + "\",\"token\":\"t\"}");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = new ScontrolCommand(new PrintStream(new ByteArrayOutputStream(), true),
                    new PrintStream(err, true, StandardCharsets.UTF_8), config.toString(), Clock.systemUTC())
                    .patience(Duration.ofSeconds(2)).run(List.of("requeue", "25"), false, Map.of());
            assertEquals(1, rc);
            String key = keys.get(0);
            assertTrue(keys.size() >= 2 && keys.stream().allMatch(key::equals), "one key, sent again: " + keys);
            assertEquals("scontrol: the head is slow to answer; still trying (request id " + key + ")\n"
                    + "the scheduler did not answer within 30 s; gave up after trying for N s (request id " + key
                    + ") for job 25; no answer yet, so it may still be carried out later, once the head catches up:"
                    + " check with 'scontrol show job 25' or squeue before repeating it\n",
                    err.toString(StandardCharsets.UTF_8).replaceAll("trying for \\d+ s", "trying for N s"));

            err.reset();
            rc = new SlurmCommands(new PrintStream(new ByteArrayOutputStream(), true),
                    new PrintStream(err, true, StandardCharsets.UTF_8), config.toString(), Clock.systemUTC())
                    .patience(Duration.ofSeconds(1)).scancel(List.of("25"));
            assertEquals(1, rc);
            assertTrue(err.toString(StandardCharsets.UTF_8).replaceAll("trying for \\d+ s", "trying for N s").endsWith("scancel: error: Kill job error on job id 25: the"
                    + " scheduler did not answer within 30 s; gave up after trying for N s (request id "
                    + keys.get(keys.size() - 1) + "); no answer yet, so it may still be carried out later, once the head"
                    + " catches up: check with 'squeue -j 25' or 'sacct -j 25' before repeating it\n"),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            head.stop(0);
        }
    }
}
