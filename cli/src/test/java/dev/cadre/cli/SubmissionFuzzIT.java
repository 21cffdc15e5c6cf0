package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.CaseFile.Reply;
import dev.cadre.cli.CaseFile.SubmissionCase;
import dev.cadre.cli.RejectionCases.Expected;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad and mutated submissions over JMS, AMQP and STOMP against 'cadre server', a head without a node-runner,
 * so no accepted fuzz job can run. Targeted cases first, each with its exact rejection; then a seeded fuzz run
 * (rerun one with -Dfuzz.seed=N).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SubmissionFuzzIT {
    private static final Duration REPLY_WAIT = Duration.ofSeconds(120);
    private Path base;
    private CadreProcess cadre;
    private HeadBroker broker;

    @BeforeAll
    void startHeadWithoutNode(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        base = dir;
        cadre = new CadreProcess(base);
        cadre.startHead("server");
        broker = new HeadBroker(cadre);
    }

    @AfterAll
    void stopHead() throws Exception {
        if (broker != null) {
            broker.close();
        }
        cadre.stop();
    }

    @Test
    @Order(1)
    void eachBadInputGetsItsExactRejectionOnItsReplyToAndStoresNothing() throws Exception {
        int jobsBefore = restJobCount();
        List<Expected> expected = new ArrayList<>(RejectionCases.overJms());
        expected.addAll(RejectionCases.overAmqp());
        expected.addAll(RejectionCases.overStomp());
        List<Reply> replies = new ArrayList<>(JmsCaseSender.send(broker, sent(RejectionCases.overJms()), REPLY_WAIT));
        replies.addAll(overPython("targeted-amqp", sent(RejectionCases.overAmqp()), "send_cases_amqp.py"));
        replies.addAll(overPython("targeted-stomp", sent(RejectionCases.overStomp()), "send_cases_stomp.py"));

        Map<String, List<Reply>> byCase = FuzzVerdicts.byCase(replies);
        for (Expected e : expected) {
            List<Reply> got = byCase.getOrDefault(e.sent().id(), List.of());
            assertEquals(1, got.size(), e.sent().id() + " must get exactly one reply: " + got);
            assertEquals(e.rejection(), MessageCodec.decode(got.get(0).body(), ClientReply.class), e.sent().id());
        }
        assertEquals(expected.size(), replies.size(), "replies to nothing that was sent: " + replies);
        assertEquals(jobsBefore, restJobCount(), "a rejected submission was stored");
    }

    @Test
    @Order(2)
    void aRejectionWithoutReplyToIsDeadLetteredWithItsReasonForAdminsOnly() throws Exception {
        int jobsBefore = restJobCount();
        SubmissionCase unanswerable = CaseFile.text("dead-letter-case", "{\"type\":\"submit-job\",\"submissionId\":"
                + "\"dl1\",\"spec\":{\"user\":\"tester\",\"script\":\"#!/bin/sh\\ntrue\\n\",\"workDir\":\"/tmp\","
                + "\"tasks\":-1}}").withoutReplyTo();
        assertEquals(List.of(), JmsCaseSender.send(broker, List.of(unanswerable), Duration.ZERO));
        try (Connection submitter = broker.connect(broker.submitter())) {
            Session s = submitter.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(JMSSecurityException.class, () -> s.createConsumer(s.createQueue(Destinations.DEAD_LETTERS)),
                    "submitters must not read other users' rejected messages");
        }
        try (Connection admin = broker.connect(broker.admin())) {
            Session s = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue(Destinations.DEAD_LETTERS),
                    "JMSCorrelationID = 'dead-letter-case'").receive(60_000);
            assertNotNull(m, "no dead letter for the rejected message without reply-to");
            String reason = "spec.tasks: is -1; it must be between 1 and 1000000";
            assertEquals(reason, m.getStringProperty("cadreRejectReason"));
            assertEquals(new ClientReply.JobRejected("dl1", RejectionCode.INVALID_FIELD, reason, "spec.tasks"),
                    MessageCodec.decode(((TextMessage) m).getText(), ClientReply.class));
        }
        assertEquals(jobsBefore, restJobCount(), "a rejected submission was stored");
    }

    @Test
    @Order(3)
    void fuzzedSubmissionsGetOneReplyEachStoreOnlyValidJobsAndLeaveTheHeadWorking() throws Exception {
        long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
        System.out.println("SubmissionFuzzIT fuzz seed " + seed + " (rerun with -Dfuzz.seed=" + seed + "), files in "
                + base);
        Random seeds = new Random(seed);
        Path fuzzWork = Files.createDirectories(base.resolve("fuzz-work"));
        long lastIdBefore = StoredJobs.all(cadre.dataDir).stream().mapToLong(JobRecord::id).max().orElse(0);
        Instant started = Instant.now();
        List<SubmissionCase> jms = generate("jf", seeds.nextLong(), 4_000, fuzzWork);
        List<SubmissionCase> amqp = generate("af", seeds.nextLong(), 3_500, fuzzWork);
        List<SubmissionCase> stomp = generate("sf", seeds.nextLong(), 3_500, fuzzWork);
        List<Reply> replies = new ArrayList<>();
        try (PythonScript overAmqp = startSender("af", "send_cases_amqp.py");
                PythonScript overStomp = startSender("sf", "send_cases_stomp.py")) {
            replies.addAll(JmsCaseSender.send(broker, jms, REPLY_WAIT));
            overAmqp.awaitExit(REPLY_WAIT.plusSeconds(60));
            overStomp.awaitExit(REPLY_WAIT.plusSeconds(60));
            System.out.println("fuzz AMQP: " + overAmqp.summary() + "\nfuzz STOMP: " + overStomp.summary());
        }
        replies.addAll(CaseFile.readReplies(base.resolve("af-replies.jsonl")));
        replies.addAll(CaseFile.readReplies(base.resolve("sf-replies.jsonl")));
        System.out.println("fuzz: " + (jms.size() + amqp.size() + stomp.size()) + " messages answered in "
                + Duration.between(started, Instant.now()));

        List<SubmissionCase> all = new ArrayList<>(jms);
        all.addAll(amqp);
        all.addAll(stomp);
        FuzzVerdicts verdicts = new FuzzVerdicts(all, replies, lastIdBefore);
        assertTrue(cadre.head().isAlive(), "the head died under fuzzing");
        try (Connection admin = broker.connect(broker.admin())) {
            verdicts.checkStoredAndDeadLettered(cadre.dataDir, admin, Duration.ofSeconds(60));
        }
        System.out.println("fuzz: " + verdicts.report());
        Set<Long> fuzzJobs = verdicts.storedFuzzJobs(cadre.dataDir).stream().map(JobRecord::id)
                .collect(Collectors.toSet());
        cancel(fuzzJobs);
        aGoodJobRunsOnceANodeJoinsWhileNoFuzzJobDoes(verdicts, fuzzJobs, fuzzWork);
        System.out.println("fuzz: whole run took " + Duration.between(started, Instant.now()));
        verdicts.assertNoProblems();
    }

    private void aGoodJobRunsOnceANodeJoinsWhileNoFuzzJobDoes(FuzzVerdicts verdicts, Set<Long> fuzzJobs, Path fuzzWork)
            throws Exception {
        for (JobRecord j : verdicts.storedFuzzJobs(cadre.dataDir)) {
            // A node must never see a fuzz job: its script and paths are whatever the mutations made of them.
            assertEquals(JobState.CANCELLED, j.state(), "fuzz job " + j.id() + " is not cancelled");
        }
        Process node = cadre.startNode(base.resolve("node"), "fuzz-node");
        try {
            long good = cadre.sbatch("--wrap", "echo good");
            cadre.awaitState(good, "COMPLETED", Duration.ofSeconds(60));
            assertEquals("good\n", Files.readString(cadre.workDir.resolve("slurm-" + good + ".out")));
        } finally {
            node.destroy();
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (JobRecord j : verdicts.storedFuzzJobs(cadre.dataDir)) {
            assertTrue(fuzzJobs.contains(j.id()) ? j.state() == JobState.CANCELLED : j.name().equals("wrap"),
                    "fuzz job " + j.id() + " changed after the node joined: " + j.state());
        }
        try (var left = Files.list(fuzzWork)) {
            assertEquals(List.of(), left.toList(), "a fuzz job ran");
        }
    }

    private List<SubmissionCase> generate(String prefix, long seed, int count, Path workDir) throws Exception {
        Path file = base.resolve(prefix + ".jsonl");
        PythonScript.run(base.resolve(prefix + "-generate.log"), Duration.ofSeconds(60), "submission_mutations.py",
                "--seed", "" + seed, "--count", "" + count, "--prefix", prefix, "--workdir", workDir.toString(),
                "--out", file.toString());
        return CaseFile.read(file);
    }

    /** Cancels the jobs over JMS (thousands of REST calls or scancel runs would take much longer). */
    private void cancel(Set<Long> jobIds) throws Exception {
        List<SubmissionCase> requests = new ArrayList<>();
        for (long id : jobIds) {
            requests.add(CaseFile.text("cancel-" + id, MessageCodec.encode(new ControlRequest.CancelJob(id))));
        }
        for (Reply r : JmsCaseSender.send(broker, requests, REPLY_WAIT)) {
            var result = (ClientReply.CancelResult) MessageCodec.decode(r.body(), ClientReply.class);
            assertTrue(result.ok() && result.state() == JobState.CANCELLED, "cancel " + r.id() + ": " + result);
        }
    }

    private List<Reply> overPython(String name, List<SubmissionCase> cases, String script) throws Exception {
        CaseFile.write(base.resolve(name + ".jsonl"), cases);
        try (PythonScript sender = startSender(name, script)) {
            assertEquals(0, sender.awaitExit(REPLY_WAIT.plusSeconds(60)), sender.output());
        }
        return CaseFile.readReplies(base.resolve(name + "-replies.jsonl"));
    }

    /** Starts a Python sender on the case file NAME.jsonl; its replies go to NAME-replies.jsonl. */
    private PythonScript startSender(String name, String script) throws Exception {
        List<String> args = new ArrayList<>(List.of("--config", cadre.dataDir.resolve("client.json").toString(),
                "--cases", base.resolve(name + ".jsonl").toString(),
                "--replies", base.resolve(name + "-replies.jsonl").toString()));
        if (script.contains("stomp")) {
            // Submitters may read only replies under cadre.reply. (docs/protocol.md 2.3).
            broker.createQueue(Destinations.REPLY_PREFIX + name, false);
            args.addAll(List.of("--reply-queue", Destinations.REPLY_PREFIX + name));
        }
        return PythonScript.start(base.resolve(name + ".log"), script, args.toArray(String[]::new));
    }

    private static List<SubmissionCase> sent(List<Expected> expected) {
        return expected.stream().map(Expected::sent).toList();
    }

    private int restJobCount() throws Exception {
        return MessageCodec.mapper().readTree(cadre.restGet("/api/jobs?limit=10000")).size();
    }
}
