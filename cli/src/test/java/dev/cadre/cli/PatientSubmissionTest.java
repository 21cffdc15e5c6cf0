package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When sbatch and srun send their submission again, and what they say when they give up. */
class PatientSubmissionTest {
    private static final JobSpec SPEC = JobSpec.builder().name("nightly").user("alice").script("#!/bin/sh\ntrue\n")
            .workDir("/tmp").build();
    private static final RestClient.ClientException TIMED_OUT = new RestClient.ClientException(504,
            "the scheduler did not answer within 30 s");

    /** Answers each try with the next of its answers (the last one again once they run out); pauses move its time. */
    private static final class ScriptedHead implements PatientSubmission.Post, Patience.Time {
        final Deque<Object> answers = new ArrayDeque<>();
        final List<Map<String, Object>> sent = new ArrayList<>();
        final List<Duration> pauses = new ArrayList<>();
        Instant now = Instant.parse("2024-05-01T10:00:00Z");
        /** How long each try takes before its answer: a 504 comes after 30 s. */
        Duration perTry = Duration.ofSeconds(30);
        /** Each try's connect timeout; a head whose host drops packets takes all of it. */
        final List<Integer> connectMillis = new ArrayList<>();
        boolean dropsPackets;

        ScriptedHead(Object... answers) {
            this.answers.addAll(List.of(answers));
        }

        @Override
        public Json send(Map<String, Object> body, int connectMillis) throws RestClient.ClientException {
            sent.add(body);
            this.connectMillis.add(connectMillis);
            now = now.plus(dropsPackets ? Duration.ofMillis(connectMillis) : perTry);
            Object a = answers.size() > 1 ? answers.poll() : answers.peek();
            if (a instanceof RestClient.ClientException e) {
                throw e;
            }
            return Json.parse((String) a);
        }

        @Override
        public void sleep(Duration d) {
            pauses.add(d);
            now = now.plus(d);
        }

        @Override
        public Instant now() {
            return now;
        }
    }

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private PatientSubmission over(ScriptedHead head) {
        return over(head, "sbatch");
    }

    /** In a zone two hours ahead of UTC, where sacct -S reads the command's start. */
    private PatientSubmission over(ScriptedHead head, String command) {
        return new PatientSubmission(head, head, PatientSubmission.PATIENCE, err, command, ZoneOffset.ofHours(2));
    }

    @Test
    void twoTimeoutsThenAnAnswerMakeOneJobUnderOneSubmissionId() throws Exception {
        ScriptedHead head = new ScriptedHead(TIMED_OUT, TIMED_OUT, "{\"jobId\":42}");
        assertEquals(42, over(head).submit("sub-1", SPEC));
        assertEquals(3, head.sent.size());
        for (Map<String, Object> body : head.sent) {
            assertEquals("sub-1", body.get("submissionId"));
            assertSame(SPEC, body.get("spec"));
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), head.pauses);
        assertEquals("sbatch: the head is slow to answer; still trying (submission id sub-1)\n", errBytes.toString(
                StandardCharsets.UTF_8), "said once");
    }

    @Test
    void aHeadThatNeverAnswersIsGivenUpAfterFiveMinutesSayingTheJobMayStillBeMade() {
        ScriptedHead head = new ScriptedHead(TIMED_OUT);
        RestClient.ClientException e = assertThrows(RestClient.ClientException.class,
                () -> over(head).submit("sub-2", SPEC));
        assertTrue(e.getMessage().contains("the job may still be created: look for it with 'sacct --name nightly -S"
                + " 2024-05-01T12:00:00' (squeue leaves out one that already ended) before submitting again"
                + " (submission id sub-2)"), e.getMessage());
        assertFalse(e.getMessage().contains("nobody attached"), "sbatch's job is meant to run unattended");
        Duration spent = Duration.between(Instant.parse("2024-05-01T10:00:00Z"), head.now);
        assertTrue(spent.compareTo(PatientSubmission.PATIENCE) >= 0
                && spent.compareTo(PatientSubmission.PATIENCE.plusSeconds(30)) <= 0, "gave up after " + spent);
        assertTrue(head.pauses.stream().allMatch(p -> p.compareTo(PatientSubmission.MAX_PAUSE) <= 0), "" + head.pauses);
        head.sent.forEach(body -> assertEquals("sub-2", body.get("submissionId")));
    }

    @Test
    void srunGivingUpSaysAJobMadeLaterRunsUnattendedAndHowToCancelIt() {
        ScriptedHead head = new ScriptedHead(TIMED_OUT);
        RestClient.ClientException e = assertThrows(RestClient.ClientException.class,
                () -> over(head, "srun").submit("sub-4", SPEC));
        assertTrue(e.getMessage().contains("'sacct --name nightly -S 2024-05-01T12:00:00'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("A job created after srun gave up runs its command with nobody attached"
                + " and its output reaches no terminal: cancel it with 'scancel ID', ID being the job id that sacct"
                + " shows"), e.getMessage());
    }

    @Test
    void aRefusalFailsAtOnce() {
        RestClient.ClientException refused = new RestClient.ClientException(400, "bad --time");
        ScriptedHead refusing = new ScriptedHead(refused);
        assertSame(refused, assertThrows(RestClient.ClientException.class, () -> over(refusing).submit("s", SPEC)));
        assertEquals(1, refusing.sent.size());
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    /** As Slurm's commands try slurmctld for MessageTimeout: a head restarting is back within seconds. */
    @Test
    void aHeadThatCannotBeReachedIsTriedForTenSecondsThenGivenUpSayingSo() {
        RestClient.ClientException down = new RestClient.ClientException(0, "cannot reach Cadre at http://h:1", null,
                RestClient.Answer.NOT_REACHED);
        ScriptedHead notRunning = new ScriptedHead(down);
        notRunning.perTry = Duration.ZERO;
        var e = assertThrows(RestClient.ClientException.class, () -> over(notRunning).submit("s", SPEC));
        assertEquals(RestClient.Answer.NOT_REACHED, e.answer);
        assertEquals("cannot reach Cadre at http://h:1 (tried for 10 s)", e.getMessage());
        assertEquals(21, notRunning.sent.size());
        assertTrue(notRunning.pauses.stream().allMatch(p -> p.equals(Duration.ofMillis(500))), notRunning.pauses
                .toString());
        assertEquals("sbatch: cannot reach Cadre at http://h:1; trying again for up to 10 s\n",
                errBytes.toString(StandardCharsets.UTF_8));
    }

    /** Each try would otherwise block for the whole connect timeout, and a try begun at 9.9 s end near 15 s. */
    @Test
    void aHeadWhoseHostDropsPacketsIsGivenUpWithinTheTenSeconds() {
        ScriptedHead blackHole = new ScriptedHead(new RestClient.ClientException(0, "Cadre at http://h:1 did not"
                + " answer in time", null, RestClient.Answer.NOT_REACHED));
        blackHole.dropsPackets = true;
        Instant start = blackHole.now;
        assertThrows(RestClient.ClientException.class, () -> over(blackHole).submit("s", SPEC));
        assertEquals(List.of(RestClient.CONNECT_TIMEOUT_MS, 4_500), blackHole.connectMillis);
        assertEquals(PatientSubmission.UNREACHED_PATIENCE, Duration.between(start, blackHole.now));
    }

    @Test
    void aHeadBackWithinTheWaitTakesTheSubmissionUnderItsId() throws Exception {
        RestClient.ClientException down = new RestClient.ClientException(0, "cannot reach Cadre", null,
                RestClient.Answer.NOT_REACHED);
        ScriptedHead restarting = new ScriptedHead(down, down, down, "{\"jobId\":12}");
        restarting.perTry = Duration.ZERO;
        assertEquals(12, over(restarting).submit("sub-9", SPEC));
        assertEquals(4, restarting.sent.size());
        assertTrue(restarting.sent.stream().allMatch(b -> b.get("submissionId").equals("sub-9")));
    }

    /** After a try that may have reached it, a head that cannot be reached may be restarting with the submission. */
    @Test
    void aHeadUnreachableAfterAnUnansweredTryIsTriedAgain() throws Exception {
        ScriptedHead head = new ScriptedHead(TIMED_OUT, new RestClient.ClientException(0, "cannot reach Cadre", null,
                RestClient.Answer.NOT_REACHED), "{\"jobId\":7}");
        assertEquals(7, over(head).submit("sub-3", SPEC));
        assertEquals(3, head.sent.size());
    }
}
