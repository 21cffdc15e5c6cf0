package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cadre.cli.slurm.ScontrolKeywords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.function.Consumer;
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

    /** A stand-in head on a loopback port answering every request with this status and JSON body. */
    private static HttpServer standIn(int status, String json, Consumer<HttpExchange> record) throws IOException {
        HttpServer head = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        head.createContext("/", x -> {
            record.accept(x);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        head.start();
        return head;
    }

    /** A client file naming a head on this loopback port. */
    private static Path clientFile(Path dir, int port) throws IOException {
        return Files.writeString(dir.resolve("client.json"), "{\"httpUrl\":\"http://127.0.0.1:" + port
                + "\",\"token\":\"t\"}");
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
        assertEquals(List.of(1, "", "scontrol: error: --quiet is not supported by this Cadre version\n"),
                run(Map.of(), "-Q", "show", "job", "1"));
        assertEquals(List.of(1, "", "scontrol: error: -dd (each batch script after its job) is not supported by this"
                + " Cadre version; use -d, and scontrol write batch_script JOBID for the script\n"),
                run(Map.of(), "show", "job", "-dd", "1"));
    }

    @Test
    void scontrolWordsARefusalAsSlurmDoesByTheJobsState() {
        assertEquals("Invalid job id specified", ScontrolJobRequests.refusal("hold",
                new RestClient.ClientException(404, "job 9 does not exist")));
        assertEquals("Job is no longer pending execution", ScontrolJobRequests.refusal("update",
                new RestClient.ClientException(409, "job 9 is RUNNING; only pending jobs can be updated", "RUNNING")));
        assertEquals("Job is pending execution", ScontrolJobRequests.refusal("requeue",
                new RestClient.ClientException(409, "only a running job can be requeued", "PENDING")));
        assertEquals("Job has already finished", ScontrolJobRequests.refusal("release",
                new RestClient.ClientException(409, "job 9 is unknown or already finished", null)));
        assertEquals("Job/step already completing or completed", ScontrolJobRequests.refusal("requeue",
                new RestClient.ClientException(409, "job 9 is COMPLETING", "COMPLETING")));
        assertEquals("job 9 is not held", ScontrolJobRequests.refusal("release",
                new RestClient.ClientException(409, "job 9 is not held", "PENDING")));
    }

    @Test
    void suspendAndResumeRefusalsAreSlurmctldsAndOnlyAnOperatorMayAsk() {
        assertEquals("Job is pending execution", ScontrolJobRequests.refusal("suspend",
                new RestClient.ClientException(409, "job 9 is pending execution", "PENDING")));
        assertEquals("Job is not suspended", ScontrolJobRequests.refusal("resume",
                new RestClient.ClientException(409, "job 9 is not suspended", "RUNNING")));
        assertEquals("Job/step already completing or completed", ScontrolJobRequests.refusal("resume",
                new RestClient.ClientException(409, "job 9 is unknown or already finished", null)));
        assertEquals("Invalid job id specified", ScontrolJobRequests.refusal("suspend",
                new RestClient.ClientException(404, "job 9 does not exist")));
        assertEquals(List.of(1, "", "Access/permission denied for job 12\nAccess/permission denied for job 13_2\n"),
                run(Map.of(), "suspend", "12,13_2"), "refused before any request: no head is asked");
        assertEquals(List.of(1, "", "too few arguments for keyword:resume\n"), run(Map.of(), "resume"));
    }

    /**
     * A head whose scheduler leaves a change unanswered (504 after 30 s, as while SQLite is locked) may carry it out
     * later: scontrol and scancel send it again under its one Idempotency-Key while their patience lasts (here 2 s),
     * then say so and how to check, as a repeated TimeLimit+=5 was applied twice.
     */
    @Test
    void aChangeLeftUnansweredIsSaidToMayStillBeCarriedOutAndHowToCheck(@TempDir Path dir) throws Exception {
        List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer head = standIn(504, "{\"status\":504,\"detail\":\"the scheduler did not answer within 30 s\"}",
                x -> keys.add(x.getRequestHeaders().getFirst("Idempotency-Key")));
        try {
            Path config = clientFile(dir, head.getAddress().getPort());
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

    @Test
    void showHostlistCompressesWithoutAHeadAndReadsAFile(@TempDir Path dir) throws Exception {
        assertEquals(List.of(0, "n[1-3]\n", ""), run(Map.of(), "show", "hostlist", "n1,n2,n3"));
        assertEquals(List.of(0, "n[3,1-2]\n", ""), run(Map.of(), "show", "hostl", "n3,n1,n2"));
        assertEquals(List.of(0, "n[1-3]\n", ""), run(Map.of(), "show", "hostlistsorted=n3,n1,n2"));
        Path file = Files.writeString(dir.resolve("hosts"), "n02\nn01\n\nn03\n");
        assertEquals(List.of(0, "n[02,01,03]\n", ""), run(Map.of(), "show", "hostlist", file.toString()));
        assertEquals(List.of(0, "n[01-03]\n", ""), run(Map.of(), "show", "hostlistsorted", file.toString()));
        assertEquals(List.of(1, "", "Can not open " + dir.resolve("none") + "\n"), run(Map.of(), "show", "hostlist",
                dir.resolve("none").toString()));
        assertEquals(List.of(1, "", "Invalid hostlist: n[1- ('n[1-' has a '[' without its ']')\n"), run(Map.of(),
                "show", "hostlist", "n[1-"));
        List<Object> none = run(Map.of(), "show", "hostlist");
        assertEquals(1, none.get(0));
        assertEquals("invalid encode argument\n", none.get(2));
        assertTrue(none.get(1).toString().startsWith("Usage: scontrol "), none.get(1).toString());
    }

    @Test
    void showReadsItsEntityAsScontrolDoesAndRefusesTheOthersByName() {
        assertEquals(List.of(1, "", "invalid entity:bogus for keyword:show \n"), run(Map.of(), "show", "bogus"));
        assertEquals(List.of(1, "", "scontrol: error: show topology is not supported by this Cadre version; use"
                + " show job, node, partition, reservation, hostnames, hostlist or hostlistsorted\n"), run(Map.of(),
                "show", "topology"));
        assertEquals(List.of(1, "", "too few arguments for keyword:show\n"), run(Map.of(), "show"));
        assertEquals(List.of(1, "", "too many arguments for keyword:sho\n"), run(Map.of(), "sho", "job", "1", "2"));
    }

    @Test
    void theCommandsCadreLeavesOutAreRefusedByNameInOneLine() {
        for (String[] c : new String[][] {{"notify", "12", "hi"},
            {"listpids"}, {"reboot", "ALL"}, {"reconfigure"}, {"shutdown"}, {"token"}}) {
            List<Object> r = run(Map.of(), c);
            String word = ScontrolKeywords.command(c[0]);
            assertEquals(1, r.get(0), c[0]);
            assertEquals("", r.get(1), c[0]);
            assertTrue(r.get(2).toString().startsWith("scontrol: error: " + word
                    + " is not supported by this Cadre version: "), r.get(2).toString());
            assertEquals(1, r.get(2).toString().lines().count(), r.get(2).toString());
        }
        assertEquals(List.of(1, "", "invalid keyword: bogus\n"), run(Map.of(), "bogus"));
        assertEquals(List.of(1, "", "scontrol: error: A start time must be given.  No reservation created.\n"),
                run(Map.of(), "create", "res"));
        assertEquals(List.of(1, "", "Error creating the reservation: Access/permission denied (only root or the"
                + " head's owner may create, update or delete a reservation)\n"), run(Map.of(), "create", "res",
                "ReservationName=m", "StartTime=now", "Duration=5", "Nodes=n1", "Users=root"));
        assertEquals(List.of(1, "", "delete_reservation ReservationName=m: Access/permission denied (only root or"
                + " the head's owner may create, update or delete a reservation)\n"), run(Map.of(), "delete",
                "ReservationName=m"));
        assertEquals(List.of(1, "", "scontrol: error: Invalid creation entity: NodeName=n9 (this Cadre version"
                + " creates reservations and partitions only: a node joins by starting 'cadre node')\n"),
                run(Map.of(), "create", "NodeName=n9"));
        assertEquals(List.of(1, "", "Error creating the partition: Access/permission denied (only root or the"
                + " head's owner may create, update or delete a partition)\n"), run(Map.of(), "create",
                "PartitionName=p", "Nodes=ALL"));
        assertEquals(List.of(1, "", "scontrol: error: PartitionName cannot be \"DEFAULT\".\n"), run(Map.of(),
                "create", "PartitionName=Default", "Nodes=ALL"));
        assertEquals(List.of(1, "", "slurm_update error: Access/permission denied (only root or the head's owner"
                + " may create, update or delete a partition)\n"), run(Map.of(), "update", "PartitionName=p",
                "State=DOWN"));
        assertEquals(List.of(1, "", "delete_partition PartitionName=p: Access/permission denied (only root or"
                + " the head's owner may create, update or delete a partition)\n"), run(Map.of(), "delete",
                "PartitionName=p"));
        assertEquals(List.of(0, "", ""), run(Map.of(), "quit"));
        assertEquals(List.of(0, "slurm 23.11.0 (cadre)\n", ""), run(Map.of(), "version"));
    }

    @Test
    void topTakesOneListOfJobIdsAndRefusesTheRestAsScontrolAndSlurmctldDo() {
        assertEquals(List.of(1, "", "too few arguments for keyword:top\n"), run(Map.of(), "top"));
        assertEquals(List.of(1, "", "too many arguments for keyword:TOP\n"), run(Map.of(), "TOP", "12", "13"),
                "two words are too many: scontrol wants one comma-separated list");
        assertEquals(List.of(1, "", "Invalid job id specified for job 12_[1-3]\n"), run(Map.of(), "top",
                "12_[1-3]"), "a task list is no id to slurmctld's job_set_top");
        assertEquals(List.of(1, "", "Invalid job id specified for job 12,abc\n"), run(Map.of(), "top",
                "JobId=12,abc"), "named without JobId=, as scontrol_top_job names it");
        assertEquals(List.of(1, "", "Invalid job id specified for job ,\n"), run(Map.of(), "top", ","));
    }

    @Test
    void waitJobRefusesWhatIsNoJobAsScontrolDoes() {
        assertEquals(List.of(1, "", "Invalid job_id abc\n"), run(Map.of(), "wait_job", "abc"));
        assertEquals(List.of(1, "", "too few arguments for keyword:wait\n"), run(Map.of(), "wait"));
        assertEquals(List.of(1, "", "too many arguments for keyword:wait_job\n"), run(Map.of(), "wait_job", "1", "2"));
    }

    @Test
    void pingSaysDownAndExitsOneWhenTheHeadDoesNotAnswer(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Path config = clientFile(dir, port);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new ScontrolCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), config.toString(), Clock.systemUTC())
                .run(List.of("ping"), false, Map.of());
        assertEquals(1, rc);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Slurmctld(primary) at 127.0.0.1 is DOWN\n"),
                out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(1, "", "too many arguments for keyword:ping\n"), run(Map.of(), "ping", "x"));
    }

    /**
     * A job that stays pending is waited for as long as the client's patience lasts, asking again a little later each
     * time; then scontrol says so and exits 1.
     */
    @Test
    void waitJobGivesUpOnAJobStillPendingWhenItsPatienceIsSpent(@TempDir Path dir) throws Exception {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer head = standIn(200, "{\"id\":5,\"state\":\"PENDING\"}", x -> asked.add(x.getRequestURI().getPath()));
        try {
            Path config = clientFile(dir, head.getAddress().getPort());
            List<Duration> pauses = new java.util.ArrayList<>();
            java.time.Instant[] now = {java.time.Instant.parse("2026-01-01T00:00:00Z")};
            Patience.Time time = new Patience.Time() {
                @Override
                public java.time.Instant now() {
                    return now[0];
                }

                @Override
                public void sleep(Duration d) {
                    pauses.add(d);
                    now[0] = now[0].plus(d);
                }
            };
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = new ScontrolWaitJob(new PrintStream(err, true, StandardCharsets.UTF_8), config.toString(),
                    Duration.ofSeconds(5), time).run("wait_job", List.of("5"));
            assertEquals(1, rc);
            assertEquals("scontrol: Problem running job 5\nscontrol: error: job 5 was still pending after 5 s\n",
                    err.toString(StandardCharsets.UTF_8));
            assertEquals(List.of(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                    Duration.ofMillis(1600), Duration.ofSeconds(2)), pauses);
            assertEquals(6, asked.size(), asked.toString());
            assertTrue(asked.stream().allMatch("/api/jobs/5"::equals), asked.toString());
        } finally {
            head.stop(0);
        }
    }
}
