package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.client.CadreExecutor;
import dev.cadre.client.ClientSettings;
import dev.cadre.client.JobResult;
import dev.cadre.client.Submission;
import dev.cadre.db.Database;
import dev.cadre.db.JobQuery;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client library's close() with cancels made just before it, and bursts of single submits and cancels, against
 * a real head in this JVM (review 99).
 */
class CadreClientCloseAndBurstTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();
    private final CadreClient client = head.client();

    /** Jobs that run until their gate file exists; the ids it returns must end CANCELLED without the gate. */
    private interface GatedJobs {
        List<Long> cancelled(Path gate) throws Exception;
    }

    private void expectCancelled(String gateName, GatedJobs jobs) throws Exception {
        Path gate = head.base.resolve(gateName);
        try {
            for (long id : jobs.cancelled(gate)) {
                head.awaitState(id, JobState.CANCELLED);
            }
        } finally {
            // A job left running by a failure still ends.
            Files.writeString(gate, "");
        }
    }

    @Test
    void resultsCancelledBeforeTheirAcceptanceAreCancelledAlthoughCloseFollowsAtOnce() throws Exception {
        expectCancelled("gate-before", gate -> {
            List<String> ids = new ArrayList<>();
            try (CadreClient closing = CadreClient.connect(head.clientFile())) {
                for (int i = 0; i < 5; i++) {
                    Submission s = closing.submit(gated(gate));
                    assertTrue(s.result().cancel(true));
                    ids.add(s.submissionId());
                }
            }
            // The same submission id finds the same job; without the fix it was created and ran.
            List<Long> jobIds = new ArrayList<>();
            for (String id : ids) {
                jobIds.add(client.submit(gated(gate), id).accepted().get(30, TimeUnit.SECONDS));
            }
            return jobIds;
        });
    }

    @Test
    void resultsCancelledAfterTheirAcceptanceAreCancelledAlthoughCloseFollowsAtOnce() throws Exception {
        expectCancelled("gate-after", gate -> {
            List<Long> jobIds = new ArrayList<>();
            try (CadreClient closing = CadreClient.connect(head.clientFile())) {
                List<Submission> all = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    all.add(closing.submit(gated(gate)));
                }
                for (Submission s : all) {
                    jobIds.add(s.accepted().get(30, TimeUnit.SECONDS));
                }
                all.forEach(s -> s.result().cancel(true));
            }
            return jobIds;
        });
    }

    @Test
    void anExecutorConnectedWithSettingsCancelsItsJobsOnShutdownNowThenClose() throws Exception {
        expectCancelled("gate-executor", gate -> {
            Path command = head.base.resolve("executor-gated.sh");
            Files.writeString(command, "#!/bin/sh\nwhile [ ! -f " + gate + " ]; do sleep 0.05; done\n");
            command.toFile().setExecutable(true);
            ClientSettings settings = ClientSettings.defaults().withReplyTimeout(Duration.ofSeconds(20));
            try (CadreExecutor executor = CadreExecutor.connect(head.clientFile(), settings,
                    CadreExecutor.Settings.defaults().withWorkDir(head.base))) {
                for (int i = 0; i < 10; i++) {
                    executor.submit(List.of(command.toString()));
                }
                CadreProcess.await("the jobs to be stored", InJvmHead.WAIT, () -> jobsNamed(command).size() == 10);
                assertEquals(10, executor.shutdownNow().size());
            }
            return jobsNamed(command);
        });
    }

    /** A job that runs until the gate file exists. */
    private JobSpec gated(Path gate) {
        return head.job("while [ ! -f " + gate + " ]; do sleep 0.05; done").build();
    }

    private List<Long> jobsNamed(Path command) {
        JobStore jobs = new JobStore(Database.open(head.base.resolve("data/cadre.db")));
        return jobs.list(new JobQuery(null, null, command.getFileName().toString(), null, null, 100)).stream()
                .map(JobRecord::id).toList();
    }

    @Test
    void closeFailsEveryUnansweredCancelNamingItsJob() throws Exception {
        List<CompletableFuture<ClientReply.CancelResult>> cancels = new ArrayList<>();
        // A reply timeout shorter than sending them all takes: close() stops waiting for the sends and fails the rest.
        CadreClient closing = CadreClient.connect(ClientFile.read(head.clientFile()),
                ClientSettings.defaults().withReplyTimeout(Duration.ofMillis(300)));
        for (int i = 0; i < 2000; i++) {
            cancels.add(closing.cancel(900_000_000L + i));
        }
        closing.close();
        int failed = 0;
        for (int i = 0; i < cancels.size(); i++) {
            CompletableFuture<ClientReply.CancelResult> c = cancels.get(i);
            assertTrue(c.isDone(), "cancel " + i + " is still outstanding after close()");
            if (c.isCompletedExceptionally()) {
                failed++;
                var e = assertInstanceOf(ExecutionException.class, catchFailure(c));
                assertInstanceOf(CadreException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("job " + (900_000_000L + i)), e.getCause().getMessage());
            } else {
                assertFalse(c.join().ok(), "there is no such job");
            }
        }
        assertTrue(failed > 0, "every cancel was answered before close() gave up; the test needs more of them");
    }

    private static Throwable catchFailure(CompletableFuture<?> f) {
        try {
            f.get();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    /**
     * Thousands of single submits and cancels from one thread take longer to send, one at a time, than the reply
     * timeout: the deadline runs from each send, not from the call, so none of them times out.
     */
    @Test
    void aBurstOfSingleSubmitsAndCancelsOutlastingTheReplyTimeoutAllGetAnswers() throws Exception {
        // 2,000 single sends take some seconds (6.8 s here), several times the timeout; 3 s, not less, so that a
        // pass or collection slowed by a loaded machine does not outlast one send's own wait.
        int count = 2000;
        ClientSettings quick = ClientSettings.defaults().withReplyTimeout(Duration.ofSeconds(3)).withSendAttempts(1);
        try (CadreClient burst = CadreClient.connect(ClientFile.read(head.clientFile()), quick)) {
            long start = System.nanoTime();
            List<Submission> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                all.add(burst.submit(head.job("true").hold("user").build()));
            }
            List<Long> ids = new ArrayList<>();
            for (Submission s : all) {
                ids.add(s.accepted().get(60, TimeUnit.SECONDS));
            }
            System.out.printf("%d single submits answered in %d ms%n", count,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            start = System.nanoTime();
            List<CompletableFuture<ClientReply.CancelResult>> cancels = new ArrayList<>();
            for (long id : ids) {
                cancels.add(burst.cancel(id));
            }
            for (CompletableFuture<ClientReply.CancelResult> c : cancels) {
                assertTrue(c.get(60, TimeUnit.SECONDS).ok());
            }
            System.out.printf("%d cancels answered in %d ms%n", count,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            for (Submission s : all.subList(0, 5)) {
                assertEquals(JobState.CANCELLED, s.result().get(30, TimeUnit.SECONDS).state());
            }
        }
    }

    @Test
    void aJobKilledByASignalSaysSoThoughItsExitCodeIsZero() throws Exception {
        JobResult killed = client.submit(head.job("kill -9 $$").build()).result().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.FAILED, killed.state());
        assertEquals(9, killed.signal());
        assertTrue(killed.killedBySignal());
        assertFalse(killed.succeeded());
        JobResult clean = client.submit(head.job("true").build()).result().get(30, TimeUnit.SECONDS);
        assertEquals(0, clean.signal());
        assertFalse(clean.killedBySignal());
    }
}
