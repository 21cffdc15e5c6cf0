package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.client.ClientSettings;
import dev.cadre.client.EventFilter;
import dev.cadre.client.JobRejectedException;
import dev.cadre.client.JobResult;
import dev.cadre.client.Submission;
import dev.cadre.client.Watch;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.JobSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client library against a real head in this JVM: broker, scheduler, SQLite, a node-runner, processes. */
class CadreClientIntegrationTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();
    private final CadreClient client = head.client();

    private static JobResult result(Submission s) throws Exception {
        return s.result().get(InJvmHead.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aSubmittedJobIsAcceptedWithItsIdAndCompletes() throws Exception {
        Submission s = client.submit(head.job("true").build());
        long id = s.accepted().get(30, TimeUnit.SECONDS);
        assertTrue(id > 0);
        assertEquals(client.user(), s.spec().user(), "the spec gets the client's user");
        JobResult r = result(s);
        assertEquals(id, r.jobId());
        assertEquals(JobState.COMPLETED, r.state());
        assertEquals(0, r.exitCode());
        assertTrue(r.succeeded());
    }

    @Test
    void submitAllSendsBatchesAndAnswersEachJobOnItsOwn() throws Exception {
        // Larger than one message may hold, and one bad spec among them.
        int count = 1200;
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            specs.add(i == 7 ? head.job("true").workDir("relative").build() : head.job("exit " + (i % 3)).build());
        }
        List<Submission> all = client.submitAll(specs);
        assertEquals(count, all.size());
        var rejected = assertThrows(ExecutionException.class, () -> all.get(7).accepted().get(30, TimeUnit.SECONDS));
        assertEquals("spec.workDir", assertInstanceOf(JobRejectedException.class, rejected.getCause()).field());
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (i != 7) {
                ids.add(all.get(i).accepted().get(60, TimeUnit.SECONDS));
            }
        }
        assertEquals(count - 1, ids.size(), "one job per accepted submission");
        for (int i : new int[] {0, 1, 2, count - 1}) {
            // The last runs after the 1,198 before it on four slots: a bound for all of them, not for one job.
            JobResult r = all.get(i).result().get(InJvmHead.WAIT.toSeconds() * 6, TimeUnit.SECONDS);
            assertEquals(i % 3, r.exitCode(), "job " + i);
        }
    }

    @Test
    void aFailingJobEndsFailedWithItsExitCode() throws Exception {
        JobResult r = result(client.submit(head.job("exit 3").build()));
        assertEquals(JobState.FAILED, r.state());
        assertEquals(3, r.exitCode());
    }

    @Test
    void resubmittingTheSameIdReturnsTheSameJobBeforeAndAfterItEnds() throws Exception {
        Path gate = head.base.resolve("resubmit-gate");
        var spec = head.job("while [ ! -f " + gate + " ]; do sleep 0.05; done").build();
        Submission first = client.submit(spec, "resubmit-1");
        long id = first.accepted().get(30, TimeUnit.SECONDS);
        Submission again = client.submit(spec, "resubmit-1");
        assertEquals(id, again.accepted().get(30, TimeUnit.SECONDS));
        java.nio.file.Files.writeString(gate, "");
        assertEquals(JobState.COMPLETED, result(first).state());
        assertEquals(JobState.COMPLETED, result(again).state());

        // A new client has seen none of the job's events: the acceptance itself carries the result.
        try (CadreClient later = CadreClient.connect(head.clientFile())) {
            Submission after = later.submit(spec, "resubmit-1");
            assertEquals(id, after.accepted().get(30, TimeUnit.SECONDS));
            JobResult r = result(after);
            assertEquals(JobState.COMPLETED, r.state());
            assertEquals(0, r.exitCode());
        }
        Submission other = client.submit(spec, "resubmit-2");
        assertNotEquals(id, other.accepted().get(30, TimeUnit.SECONDS));
        result(other);
    }

    @Test
    void aRejectedSpecFailsBothFuturesWithTheReasonAndField() throws Exception {
        Submission s = client.submit(head.job("true").workDir("relative/dir").build());
        var e = assertThrows(ExecutionException.class, () -> s.accepted().get(30, TimeUnit.SECONDS));
        var rejected = assertInstanceOf(JobRejectedException.class, e.getCause());
        assertEquals(RejectionCode.INVALID_FIELD, rejected.code());
        assertEquals("spec.workDir", rejected.field());
        assertTrue(rejected.reason().contains("must be an absolute path"), rejected.reason());
        assertEquals(s.submissionId(), rejected.submissionId());
        assertInstanceOf(JobRejectedException.class, assertThrows(ExecutionException.class, () -> result(s)).getCause());
        assertThrows(IllegalArgumentException.class, () -> client.submit(head.job("true").user("someone-else").build()));
    }

    @Test
    void aSubmissionTooLargeForAnyMessageIsRefusedWithoutBeingSent() throws Exception {
        // Over the broker's own limit, where a sent request would be refused by the broker, not answered.
        String huge = "true\n#" + "x".repeat(6 << 20) + "\n";
        Submission alone = client.submit(head.job(huge).build());
        List<Submission> batch = client.submitAll(List.of(head.job("true").build(), head.job(huge).build()));
        for (Submission s : List.of(alone, batch.get(1))) {
            var e = assertThrows(ExecutionException.class, () -> s.accepted().get(30, TimeUnit.SECONDS));
            var rejected = assertInstanceOf(JobRejectedException.class, e.getCause());
            assertEquals(RejectionCode.TOO_LARGE, rejected.code());
            assertTrue(rejected.reason().contains("the limit is " + MessageCodec.MAX_BYTES), rejected.reason());
        }
        assertEquals(JobState.COMPLETED, result(batch.get(0)).state(), "the batch's other job runs");
    }

    @Test
    void cancellingTheResultCancelsTheJob() throws Exception {
        Submission running = client.submit(head.job("sleep 60").build());
        long id = running.accepted().get(30, TimeUnit.SECONDS);
        head.awaitState(id, JobState.RUNNING);
        assertTrue(running.result().cancel(true));
        head.awaitState(id, JobState.CANCELLED);
        assertThrows(CancellationException.class, () -> running.result().join());
        assertEquals(client.user(), head.cancelledBy(id), "the client's cancel names its user");

        // Cancelled before its id is known: the cancel goes out as soon as the acceptance arrives.
        Submission early = client.submit(head.job("sleep 60").build());
        early.result().cancel(true);
        head.awaitState(early.accepted().get(30, TimeUnit.SECONDS), JobState.CANCELLED);
    }

    /**
     * A job cancelled by a named user ends with that name in its result and in a watch's events (the kill's
     * COMPLETING and the CANCELLED); one the scheduler cancels itself, its dependency never satisfied, names nobody.
     */
    @Test
    void aCancelledJobsResultAndEventsNameWhoCancelledIt() throws Exception {
        BlockingQueue<JobEvent.JobStateChanged> seen = new LinkedBlockingQueue<>();
        Submission mine = client.submit(head.job("sleep 60").build());
        long id = mine.accepted().get(30, TimeUnit.SECONDS);
        try (Watch w = client.watch(EventFilter.job(id), seen::add)) {
            head.awaitState(id, JobState.RUNNING);
            assertTrue(client.cancel(id).get(30, TimeUnit.SECONDS).ok());
            JobResult r = result(mine);
            assertEquals(List.of(JobState.CANCELLED, client.user()), java.util.Arrays.asList(r.state(),
                    r.cancelledBy()));
            List<String> ending = new ArrayList<>();
            while (ending.isEmpty() || !ending.get(ending.size() - 1).startsWith("CANCELLED")) {
                JobEvent.JobStateChanged e = seen.poll(InJvmHead.WAIT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(e, "the watch saw no CANCELLED; saw " + ending);
                if (e.state() != JobState.PENDING && e.state() != JobState.RUNNING) {
                    ending.add(e.state() + " by " + e.cancelledBy());
                }
            }
            assertEquals(List.of("COMPLETING by " + client.user(), "CANCELLED by " + client.user()), ending);
        }

        Submission waiting = client.submit(head.job("true").beginTime(java.time.Instant.now().plusSeconds(3600))
                .build());
        long waitingId = waiting.accepted().get(30, TimeUnit.SECONDS);
        try (CadreClient bob = CadreClient.connect(ClientFile.read(head.clientFile()),
                ClientSettings.defaults().withUser("bob-" + client.user()))) {
            assertTrue(bob.cancel(waitingId).get(30, TimeUnit.SECONDS).ok());
        }
        assertEquals("bob-" + client.user(), result(waiting).cancelledBy(), "another user's cancel names them");

        long failing = client.submit(head.job("exit 1").build()).accepted().get(30, TimeUnit.SECONDS);
        JobResult never = result(client.submit(head.job("true").dependency("afterok:" + failing)
                .killOnInvalidDependency(true).build()));
        assertEquals(List.of(JobState.CANCELLED, "DependencyNeverSatisfied"), List.of(never.state(), never.reason()));
        assertNull(never.cancelledBy(), "the scheduler's own cancel names nobody");
    }

    @Test
    void closingTheClientFailsOutstandingFuturesClearly() throws Exception {
        Submission s;
        try (CadreClient shortLived = CadreClient.connect(head.clientFile())) {
            s = shortLived.submit(head.job("sleep 60").build());
            s.accepted().get(30, TimeUnit.SECONDS);
        }
        var e = assertThrows(ExecutionException.class, () -> s.result().get(5, TimeUnit.SECONDS));
        assertInstanceOf(CadreException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("closed before submission " + s.submissionId()),
                e.getCause().getMessage());
        client.cancel(s.accepted().join()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void everySubmissionRacingACloseEndsOneWayOrTheOther() throws Exception {
        CadreClient racing = CadreClient.connect(head.clientFile());
        List<Submission> returned = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        returned.add(racing.submit(head.job("sleep 60").hold("user").build()));
                    } catch (CadreException e) {
                        return;
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        CadreProcess.await("some submissions to be sent", InJvmHead.WAIT, () -> returned.size() >= 20);
        racing.close();
        for (Thread t : threads) {
            t.join(InJvmHead.WAIT.toMillis());
        }
        for (Submission s : List.copyOf(returned)) {
            // Without the fix a submission that joined just after close() had neither future ever completed.
            var e = assertThrows(ExecutionException.class, () -> s.result().get(10, TimeUnit.SECONDS));
            assertInstanceOf(CadreException.class, e.getCause());
            if (s.accepted().isDone() && !s.accepted().isCompletedExceptionally()) {
                client.cancel(s.accepted().join()).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anArrayIsAcceptedButItsResultFailsNamingWhy() throws Exception {
        Submission s = client.submit(head.job("true").array("0-2").hold("user").build());
        long id = s.accepted().get(30, TimeUnit.SECONDS);
        var e = assertThrows(ExecutionException.class, () -> s.result().get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("job " + id + " is an array (--array=0-2)"),
                e.getCause().getMessage());
        assertEquals(JobState.PENDING, head.state(id), "a failed result does not cancel the array");
        client.cancel(id).get(30, TimeUnit.SECONDS);
    }
}
