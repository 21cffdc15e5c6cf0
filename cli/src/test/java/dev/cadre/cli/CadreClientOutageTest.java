package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.client.CadreExecutor;
import dev.cadre.client.ClientSettings;
import dev.cadre.client.JobResult;
import dev.cadre.client.ReplyTimeoutException;
import dev.cadre.client.Submission;
import dev.cadre.db.Database;
import dev.cadre.db.JobQuery;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobRecord;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.JobState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client while its head is away (stopped, or its connection broken mid-send): no call waits for the broker,
 * every future ends by its deadline, close() returns, and a send whose outcome is unknown is repeated, not failed.
 */
class CadreClientOutageTest {
    /**
     * Far below anything that waits for the broker: a blocked call takes until the head is back (never, in these
     * tests), or Artemis' 30 s failover call timeout; yet room for a loaded 2-CPU machine to run a pool task.
     */
    private static final long PROMPT_MS = 10_000;
    private static final ClientSettings QUICK = ClientSettings.defaults().withReplyTimeout(Duration.ofSeconds(2))
            .withSendAttempts(2);
    @TempDir
    Path dir;

    @Test
    void whileTheHeadIsDownSubmitAndCancelReturnAtOnceFuturesTimeOutAndCloseReturns() throws Exception {
        InJvmHead head = new InJvmHead(dir).start();
        CadreClient client = CadreClient.connect(ClientFile.read(head.clientFile()), QUICK);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            head.stop();
            Future<Submission> first = callers.submit(() -> client.submit(head.job("true").build(), "outage-1"));
            Future<Submission> second = callers.submit(() -> client.submit(head.job("true").build(), "outage-2"));
            Future<CompletableFuture<ClientReply.CancelResult>> cancel = callers.submit(() -> client.cancel(12345));
            Submission s = first.get(PROMPT_MS, TimeUnit.MILLISECONDS);
            second.get(PROMPT_MS, TimeUnit.MILLISECONDS);
            CompletableFuture<ClientReply.CancelResult> cancelled = cancel.get(PROMPT_MS, TimeUnit.MILLISECONDS);

            // 2 sends of 2 s, counted from the submit: a send waiting for an absent head counts.
            var e = assertThrows(ExecutionException.class, () -> s.accepted().get(10, TimeUnit.SECONDS));
            var timeout = assertInstanceOf(ReplyTimeoutException.class, e.getCause());
            assertEquals("outage-1", timeout.submissionId());
            assertTrue(timeout.getMessage().contains("submitting again with submission id outage-1 is safe"),
                    timeout.getMessage());

            // The cancel's timeout names its job, as a submission's names the submission (review 99).
            var c = assertThrows(ExecutionException.class, () -> cancelled.get(10, TimeUnit.SECONDS));
            assertInstanceOf(CadreException.class, c.getCause());
            assertTrue(c.getCause().getMessage().contains("cancel of job 12345"), c.getCause().getMessage());

            Future<?> closing = callers.submit(client::close);
            closing.get(QUICK.replyTimeout().toMillis() + PROMPT_MS, TimeUnit.MILLISECONDS);
        } finally {
            callers.shutdownNow();
            client.close();
        }
    }

    @Test
    void aSubmissionMadeWhileTheHeadIsDownMakesOneJobWhenItIsBack() throws Exception {
        InJvmHead head = new InJvmHead(dir).start();
        try (CadreClient client = CadreClient.connect(ClientFile.read(head.clientFile()),
                ClientSettings.defaults().withReplyTimeout(Duration.ofSeconds(5)).withSendAttempts(12))) {
            head.stop();
            CompletableFuture<Submission> submitted = CompletableFuture.supplyAsync(() -> submit(client,
                    head.job("exit 4").name("made-during-outage").build()));
            Submission s = submitted.get(PROMPT_MS, TimeUnit.MILLISECONDS);
            head.start();
            JobResult r = s.result().get(60, TimeUnit.SECONDS);
            assertEquals(JobState.FAILED, r.state());
            assertEquals(4, r.exitCode());
            assertEquals(List.of(r.jobId()), jobsNamed(head, "made-during-outage"));
        } finally {
            head.stop();
        }
    }

    @Test
    void aSendThatFailsAfterTheBrokerStoredTheSubmissionIsRepeatedAndMakesOneJob() throws Exception {
        InJvmHead head = new InJvmHead(dir).start();
        ClientFile direct = ClientFile.read(head.clientFile());
        try (BrokerRelay relay = new BrokerRelay(URI.create(direct.brokerUrl()).getPort());
                // Sends fail by the cut, not by their timeout, so a long one costs nothing; a 2 s one ran out five
                // times over while a loaded CI machine reconnected.
                CadreClient client = CadreClient.connect(viaRelay(direct, relay), ClientSettings.defaults()
                        .withReplyTimeout(Duration.ofSeconds(10)).withSendAttempts(6))) {
            relay.holdAnswersAfter("unknown-outcome-1");
            CompletableFuture<Submission> submitted = CompletableFuture.supplyAsync(() -> submit(client,
                    head.job("exit 7").name("unknown-outcome").build(), "unknown-outcome-1"));
            CadreProcess.await("the submission to reach the relay", InJvmHead.WAIT, relay::holding);
            CadreProcess.await("the job to be stored", InJvmHead.WAIT,
                    () -> !jobsNamed(head, "unknown-outcome").isEmpty());
            // The broker has it; the client's send now fails with AMQ219016, not knowing that.
            relay.cutAll();
            Submission s = submitted.get(PROMPT_MS, TimeUnit.MILLISECONDS);
            long id = jobsNamed(head, "unknown-outcome").get(0);
            assertEquals(id, s.accepted().get(90, TimeUnit.SECONDS));
            JobResult r = s.result().get(60, TimeUnit.SECONDS);
            assertEquals(JobState.FAILED, r.state());
            assertEquals(7, r.exitCode());
            assertEquals(List.of(id), jobsNamed(head, "unknown-outcome"), "one job, however many sends");
        } finally {
            head.stop();
        }
    }

    @Test
    void anExecutorStaysResponsiveWhileASubmitMeetsAHeadThatIsDown() throws Exception {
        InJvmHead head = new InJvmHead(dir).start();
        CadreClient client = CadreClient.connect(ClientFile.read(head.clientFile()), QUICK);
        CadreExecutor executor = new CadreExecutor(client, CadreExecutor.Settings.defaults().withWorkDir(dir));
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            head.stop();
            Future<CompletableFuture<JobResult>> submitting = callers.submit(() -> executor.submit(List.of("true")));
            CadreProcess.await("the submit to return or wait for the broker", InJvmHead.WAIT,
                    () -> submitting.isDone() || waiting(callers));
            // These need only the executor's lock, never the broker.
            callers.submit(() -> {
                executor.shutdown();
                return executor.isShutdown();
            }).get(PROMPT_MS, TimeUnit.MILLISECONDS);
            CompletableFuture<JobResult> result = submitting.get(PROMPT_MS, TimeUnit.MILLISECONDS);
            assertThrows(RejectedExecutionException.class, () -> executor.submit(List.of("true")));
            assertFalse(executor.awaitTermination(100, TimeUnit.MILLISECONDS), "the job accepted before is open");
            var e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
            assertInstanceOf(ReplyTimeoutException.class, e.getCause());
            assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
        } finally {
            callers.shutdownNow();
            executor.close();
            client.close();
        }
    }

    /** Whether a thread of the pool is parked, as a send waiting for the broker is. */
    private static boolean waiting(ExecutorService pool) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("pool-")
                && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)
                && List.of(t.getStackTrace()).stream().anyMatch(f -> f.getClassName().contains("CadreExecutor")));
    }

    private static Submission submit(CadreClient client, dev.cadre.protocol.JobSpec spec) {
        return submit(client, spec, java.util.UUID.randomUUID().toString());
    }

    private static Submission submit(CadreClient client, dev.cadre.protocol.JobSpec spec, String submissionId) {
        try {
            return client.submit(spec, submissionId);
        } catch (CadreException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ClientFile viaRelay(ClientFile f, BrokerRelay relay) {
        return new ClientFile("tcp://127.0.0.1:" + relay.port(), f.amqpUrl(), f.stompUrl(), f.httpUrl(), f.user(),
                f.password(), f.token());
    }

    private static List<Long> jobsNamed(InJvmHead head, String name) {
        JobStore jobs = new JobStore(Database.open(head.base.resolve("data/cadre.db")));
        try {
            return jobs.list(new JobQuery(null, null, name, null, null, 10)).stream().map(JobRecord::id).toList();
        } finally {
            jobs.close();
        }
    }
}
