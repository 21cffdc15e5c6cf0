package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 59, finding 1: a cadre.db restored from a backup (or made anew) hands out job ids that already ran on a
 * node, whose records.db still holds their outcomes. A node-runner on a real broker must run such a new job, which
 * its place-job's job key tells from the old one, and still answer a genuine repeat from its record. Review 98,
 * finding 1: such a head also believes running jobs that ended since; asked with query-attempt, the node answers from
 * records.db with the end it reported (also after a restart), or with runner-released when it has none of that key,
 * and runs nothing either way.
 */
class ReusedJobIdIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private RunnerEventLog head;
    private NodeRunner runner;

    @BeforeEach
    void startBroker() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        head = new RunnerEventLog(broker.head());
        broker.head().start();
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
        broker.close();
    }

    private void startRunner() throws Exception {
        runner = new NodeRunner(broker.node(), new NodeRunner.Settings(state(), "host1",
                new NodeResources(4, 1024, 0, List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1),
                "cadre", null), Clock.systemUTC()).start();
        broker.node().start();
    }

    private Path state() {
        return dir.resolve("state");
    }

    private NodeCommand.PlaceJob place(long id, String jobKey, String body) {
        JobSpec spec = JobSpec.builder().name("t" + id).user("alice").script("#!/bin/bash\n" + body + "\n")
                .workDir(work.toString()).stdout(work.resolve("job-%j.out").toString()).build();
        return new NodeCommand.PlaceJob(id, 1, spec, new Allocation(List.of(new Allocation.NodeSlots(
                runner.nodeId(), "host1", 1, 1, 0, 0))), "tok", null, jobKey);
    }

    private void send(NodeCommand command) throws Exception {
        try (Session s = broker.head().createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer p = s.createProducer(s.createQueue(Destinations.nodeQueue(runner.nodeId())));
            p.send(s.createTextMessage(MessageCodec.encode(command)));
            s.commit();
        }
    }

    /** The n-th runner-finished of the job (from 1), once it is there. */
    private RunnerEvent.RunnerFinished finished(long jobId, int n) throws InterruptedException {
        await(n + " runner-finished of job " + jobId, WAIT, () -> finishes(jobId).size() >= n);
        return finishes(jobId).get(n - 1);
    }

    private List<RunnerEvent.RunnerFinished> finishes(long jobId) {
        return head.events.stream().filter(e -> e instanceof RunnerEvent.RunnerFinished f && f.jobId() == jobId)
                .map(RunnerEvent.RunnerFinished.class::cast).toList();
    }

    private List<RunnerEvent.RunnerReleased> releases(long jobId) {
        return head.events.stream().filter(e -> e instanceof RunnerEvent.RunnerReleased r && r.jobId() == jobId)
                .map(RunnerEvent.RunnerReleased.class::cast).toList();
    }

    private long runnings(long jobId) {
        return head.events.stream().filter(e -> e instanceof RunnerEvent.RunnerRunning r && r.jobId() == jobId)
                .count();
    }

    @Test
    void aNewJobGivenAnEndedJobsIdByARestoredDatabaseRunsAndReportsItsOwnExit() throws Exception {
        startRunner();
        send(place(2, "key-of-the-old-job-2", "echo second run; touch " + work.resolve("second.marker")));
        assertEquals(0, finished(2, 1).exitCode());
        assertTrue(Files.exists(work.resolve("second.marker")));

        // cadre.db restored from a backup taken before job 2: the next job is job 2 again, of another submission.
        send(place(2, "key-of-the-new-job-2", "echo third run; touch " + work.resolve("third.marker") + "; exit 3"));
        RunnerEvent.RunnerFinished again = finished(2, 2);
        assertTrue(Files.exists(work.resolve("third.marker")), "the new job 2 never ran");
        assertEquals(3, again.exitCode(), "the new job 2 was answered with the old one's outcome");
        assertEquals(2, runnings(2));
        assertEquals("third run\n", Files.readString(work.resolve("job-2.out")));

        // Its own outcome is what a repeat of its place-job now gets, also after the runner restarted.
        runner.close();
        runner = null;
        startRunner();
        send(place(2, "key-of-the-new-job-2", "touch " + work.resolve("ran-a-third-time")));
        assertEquals(3, finished(2, 3).exitCode());
        assertFalse(Files.exists(work.resolve("ran-a-third-time")));
    }

    @Test
    void aRepeatedPlaceJobOfTheSameJobIsAnsweredWithItsOutcomeWithoutRunningAgain() throws Exception {
        startRunner();
        Path runs = work.resolve("runs");
        NodeCommand.PlaceJob place = place(5, "key-of-job-5", "echo ran >> " + runs + "; exit 4");
        send(place);
        assertEquals(4, finished(5, 1).exitCode());
        // The head crashed after storing its decision and before reading the start: the same placement again.
        send(place);
        assertEquals(4, finished(5, 2).exitCode());
        // And after the node-runner restarted.
        runner.close();
        runner = null;
        startRunner();
        send(place);
        assertEquals(4, finished(5, 3).exitCode());
        assertEquals(List.of("ran"), Files.readAllLines(runs), "the job ran more than once");
        assertEquals(1, runnings(5));
    }

    @Test
    void anOutcomeRecordedBeforeJobKeysAnswersNoKeyedPlaceJobButStillAnUnkeyedOne() throws Exception {
        // records.db of a node-runner before job keys: rows without one.
        try (EndedAttempts before = new EndedAttempts(state())) {
            before.record(7, 1, new RunnerEvent.RunnerFinished(7, 1, "n0", 9, 0, null, Instant.now(), null));
            before.record(8, 1, new RunnerEvent.RunnerFinished(8, 1, "n0", 9, 0, null, Instant.now(), null));
        }
        startRunner();
        send(place(7, "key-of-job-7", "touch " + work.resolve("seven.marker") + "; exit 1"));
        assertEquals(1, finished(7, 1).exitCode());
        assertTrue(Files.exists(work.resolve("seven.marker")));
        // A head before job keys sends none: its repeats are answered as before.
        send(place(8, null, "touch " + work.resolve("eight.marker")));
        assertEquals(9, finished(8, 1).exitCode());
        assertFalse(Files.exists(work.resolve("eight.marker")));
    }

    @Test
    void aQueryForAnAttemptThatEndedIsAnsweredWithItsRecordedEndAndNothingRunsAgain() throws Exception {
        startRunner();
        Path runs = work.resolve("runs");
        send(place(23, "key-23", "echo ran >> " + runs));
        RunnerEvent.RunnerFinished first = finished(23, 1);
        assertEquals(0, first.exitCode());

        send(new NodeCommand.QueryAttempt(23, 1, "key-23"));
        assertEquals(first, finished(23, 2), "the recorded end, its time included");
        runner.close();
        runner = null;
        startRunner();
        send(new NodeCommand.QueryAttempt(23, 1, "key-23"));
        assertEquals(first, finished(23, 3));
        assertEquals(List.of("ran"), Files.readAllLines(runs), "a query ran the job again");
        assertEquals(1, runnings(23));
        assertEquals(List.of(), releases(23));
    }

    @Test
    void aQueryForAnAttemptWithoutARecordOrOfAnotherJobKeyIsAnsweredWithRunnerReleased() throws Exception {
        startRunner();
        send(place(24, "key-of-the-old-24", "exit 3"));
        finished(24, 1);

        send(new NodeCommand.QueryAttempt(25, 1, "key-25"));
        await("runner-released of job 25", WAIT, () -> releases(25).size() == 1);
        // A restored cadre.db gave id 24 to another job: the old 24's end is no answer for it.
        send(new NodeCommand.QueryAttempt(24, 1, "key-of-the-new-24"));
        await("runner-released of job 24", WAIT, () -> releases(24).size() == 1);
        assertEquals(1, finishes(24).size());
        assertEquals(1, runnings(24));
    }
}
