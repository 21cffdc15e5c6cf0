package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three clients (JMS, AMQP, STOMP) submit 5,100 jobs while 'cadre up' is SIGKILLed at a seeded random moment
 * and restarted on the same data directory and ports (rerun a moment with -Ddurability.seed=N). Each job appends
 * its submission id to ran.log, a single short O_APPEND write, so a job that ran twice shows there; its own
 * output file stays empty unless something went wrong.
 */
class SubmissionDurabilitySystemIT {
    private static final int PER_CLIENT = 1_700;
    /** Per client: about 50 s of submissions, so that the kill lands while all three are still sending. */
    private static final double PER_SECOND = 35;
    private static final String CORES = "32";
    private static final Duration CLIENT_DEADLINE = Duration.ofMinutes(7);
    /** Kept when the test fails: the head's logs, SQLite file and the clients' logs tell what happened. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path base;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void everyAcceptedSubmissionIsOneJobThatRunsOnceThroughASigkillOfTheHead() throws Exception {
        long seed = Long.getLong("durability.seed", new SecureRandom().nextLong());
        System.out.println("SubmissionDurabilitySystemIT seed " + seed + " (rerun with -Ddurability.seed=" + seed
                + "), files in " + base);
        int killAfter = (int) (3 * PER_CLIENT * (0.1 + 0.5 * new Random(seed).nextDouble()));
        Instant started = Instant.now();
        CadreProcess cadre = new CadreProcess(base);
        Path ranLog = cadre.workDir.resolve("ran.log");
        cadre.up("--cores", CORES);
        FutureTask<JmsResubmitter.Outcome> jmsRun = null;
        try (HeadBroker broker = new HeadBroker(cadre);
                PythonScript amqp = PythonScript.start(base.resolve("amqp-client.log"), "resubmit_amqp.py",
                        clientArgs(cadre, "amqp", ranLog));
                PythonScript stomp = PythonScript.start(base.resolve("stomp-client.log"), "resubmit_stomp.py",
                        withReplyQueue(broker, clientArgs(cadre, "stomp", ranLog)))) {
            JmsResubmitter jms = new JmsResubmitter(broker, "jms", PER_CLIENT, PER_SECOND, 200, cadre.workDir, ranLog);
            Path jmsLog = base.resolve("jms-accepted.log");
            jmsRun = new FutureTask<>(() -> jms.run(jmsLog, Instant.now().plus(CLIENT_DEADLINE)));
            new Thread(jmsRun, "jms-resubmitter").start();

            CadreProcess.await(killAfter + " acceptances before the kill", CLIENT_DEADLINE, Duration.ofMillis(100),
                    () -> jms.acceptedCount() + lines(base.resolve("amqp-accepted.log"))
                            + lines(base.resolve("stomp-accepted.log")) >= killAfter);
            cadre.kill9();
            Instant killed = Instant.now();
            System.out.println("killed the head after " + Duration.between(started, killed) + ", at " + killAfter
                    + " acceptances");
            cadre.up("--cores", CORES);
            System.out.println("head back after " + Duration.between(killed, Instant.now()));

            JmsResubmitter.Outcome jmsOutcome = jmsRun.get(CLIENT_DEADLINE.toSeconds() + 60, TimeUnit.SECONDS);
            System.out.println("JMS client: " + jmsOutcome);
            assertEquals(List.of(), jmsOutcome.problems(), "the JMS client's problems");
            assertClientFinished(amqp);
            assertClientFinished(stomp);
            System.out.println("every submission accepted after " + Duration.between(started, Instant.now()));

            // Reading 5,000 jobs is not free on a small machine: look every two seconds, not every 50 ms.
            CadreProcess.await("every job to end", Duration.ofMinutes(6), Duration.ofSeconds(2),
                    () -> StoredJobs.all(cadre.dataDir).stream().allMatch(j -> j.state().isTerminal()));
            System.out.println("every job ended after " + Duration.between(started, Instant.now()));
            checkExactlyOnce(StoredJobs.all(cadre.dataDir), ranLog);
            System.out.println("whole test took " + Duration.between(started, Instant.now()));
        } finally {
            if (jmsRun != null) {
                jmsRun.cancel(true);
            }
            cadre.stop();
        }
    }

    private void checkExactlyOnce(List<JobRecord> jobs, Path ranLog) throws Exception {
        Map<String, List<Long>> acceptedAs = new TreeMap<>();
        for (String client : List.of("jms", "amqp", "stomp")) {
            for (String line : Files.readAllLines(base.resolve(client + "-accepted.log"))) {
                String[] f = line.split(" ");
                acceptedAs.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Long.parseLong(f[1]));
            }
        }
        Map<Long, JobRecord> byId = jobs.stream().collect(Collectors.toMap(JobRecord::id, Function.identity()));
        Map<Long, String> acceptedFor = new TreeMap<>();
        List<String> wrongAcceptances = new ArrayList<>();
        for (var e : acceptedAs.entrySet()) {
            long id = e.getValue().get(0);
            JobRecord job = byId.get(id);
            String other = acceptedFor.put(id, e.getKey());
            if (e.getValue().stream().distinct().count() != 1) {
                wrongAcceptances.add(e.getKey() + " was accepted as jobs " + e.getValue());
            } else if (job == null || !job.submissionKey().equals("c:durability:" + e.getKey())) {
                wrongAcceptances.add(e.getKey() + " was accepted as job " + id + ", which is " + job);
            } else if (other != null) {
                wrongAcceptances.add("job " + id + " was accepted for " + other + " and for " + e.getKey());
            }
        }
        Map<String, Long> runs = Files.readAllLines(ranLog).stream()
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        Map<String, Long> twice = new TreeMap<>(runs);
        twice.values().removeIf(n -> n == 1);
        // Keyed by state, reason and what the job printed (its slurm-%j.out): what explains it is in the key.
        Map<String, List<Long>> notCompleted = jobs.stream().filter(j -> j.state() != JobState.COMPLETED)
                .collect(Collectors.groupingBy(j -> j.state() + " (" + j.reason() + ", exit " + j.exitCode()
                        + ", printed '" + CadreProcess.read(ranLog.resolveSibling("slurm-" + j.id() + ".out")).strip()
                        + "')", TreeMap::new, Collectors.mapping(JobRecord::id, Collectors.toList())));
        // Every check runs, so that one failing run shows everything that went wrong in it.
        assertAll(
                () -> assertEquals(List.of(), wrongAcceptances, "acceptances not naming exactly one job of their own"),
                () -> assertEquals(3 * PER_CLIENT, acceptedAs.size(), "submission ids with an acceptance"),
                () -> assertEquals(3 * PER_CLIENT, jobs.size(), "jobs stored for the distinct submission ids sent"),
                () -> assertEquals(Map.of(), twice, "submissions whose job ran more than once"),
                () -> assertEquals(Map.of(), notCompleted, "jobs that did not complete, by state and reason"),
                () -> assertEquals(acceptedAs.keySet(), runs.keySet(), "submissions whose job ran"));
    }

    private static void assertClientFinished(PythonScript client) throws Exception {
        int exit = client.awaitExit(CLIENT_DEADLINE.plusSeconds(60));
        JsonNode summary = client.summary();
        System.out.println(summary.path("protocol").asText() + " client: " + summary);
        assertEquals(0, exit, "client failed:\n" + client.output());
    }

    private String[] clientArgs(CadreProcess cadre, String client, Path ranLog) {
        return new String[] {"--config", cadre.dataDir.resolve("client.json").toString(), "--prefix", client,
            "--count", "" + PER_CLIENT, "--rate", "" + PER_SECOND, "--window", "200",
            "--accept-log", base.resolve(client + "-accepted.log").toString(), "--ran-log", ranLog.toString(),
            "--workdir", cadre.workDir.toString(), "--deadline", "" + CLIENT_DEADLINE.toSeconds()};
    }

    /** STOMP gets a durable queue made for it, so its replies outlive the head's restart too. */
    private static String[] withReplyQueue(HeadBroker broker, String[] args) throws Exception {
        // Submitters may read only replies under cadre.reply. (docs/protocol.md 2.3).
        String queue = Destinations.REPLY_PREFIX + "durability-stomp";
        broker.createQueue(queue, true);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--reply-queue", queue));
        return all.toArray(String[]::new);
    }

    private static int lines(Path file) {
        String text = CadreProcess.read(file);
        return (int) text.chars().filter(c -> c == '\n').count();
    }
}
