package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.client.JobRejectedException;
import dev.cadre.client.NotPendingException;
import dev.cadre.client.StartEstimate;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client library's start forecasts against a real head in this JVM: a pending job behind a running one that holds
 * the node gets a start at that job's time limit on the node, a spec not submitted gets the same kind of answer, and
 * the jobs without an expected start, a silent or absent REST API and a close() fail the future naming the job.
 */
class CadreClientStartForecastTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();
    private final CadreClient client = head.client();

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(InJvmHead.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A job that takes the whole node for up to an hour. */
    private JobSpec wholeNode(String command) {
        return head.job(command).exclusive(true).timeLimitSeconds(3600L).build();
    }

    @Test
    void aJobBehindOneHoldingTheNodeStartsAtItsLimitAndATrialLikewise() throws Exception {
        long running = get(client.submit(wholeNode("exec sleep 300")).accepted());
        long waiting = -1;
        try {
            head.awaitState(running, JobState.RUNNING);
            Instant asked = Instant.now();
            waiting = get(client.submit(wholeNode("true")).accepted());
            StartEstimate e = get(client.expectedStart(waiting));
            assertEquals(waiting, e.jobId());
            assertTrue(e.planned(), String.valueOf(e));
            assertTrue(!e.start().isBefore(asked.plusSeconds(3500)) && e.start().isBefore(asked.plusSeconds(3800)),
                    "the running job's limit, an hour on: " + e);
            assertEquals(1, e.nodes().size(), String.valueOf(e));
            assertNotNull(e.cpus(), "an exclusive job is given the node's whole count: " + e);
            assertTrue(e.cpus() >= 1, String.valueOf(e));
            assertNotNull(e.reason(), "a pending job's record says why it waits: " + e);

            StartEstimate trial = get(client.trialStart(wholeNode("true")));
            assertTrue(trial.jobId() > waiting, "the id the next job would get: " + trial);
            assertEquals(e.nodes(), trial.nodes());
            assertTrue(!trial.start().isBefore(e.start()), "behind the pending job of its priority: " + trial);
            assertNull(trial.reason(), "it would start: " + trial);

            var refused = assertThrows(ExecutionException.class, () -> get(client.trialStart(head.job("true")
                    .cpusPerTask(100_000).build()))).getCause();
            assertInstanceOf(JobRejectedException.class, refused, String.valueOf(refused));

            var started = assertInstanceOf(NotPendingException.class, assertThrows(ExecutionException.class,
                    () -> get(client.expectedStart(running))).getCause());
            assertEquals(JobState.RUNNING, started.state());
        } finally {
            get(client.cancel(running));
            if (waiting > 0) {
                get(client.cancel(waiting));
            }
        }
    }

    @Test
    void aHeldJobIsNotPlannedAndSaysWhy() throws Exception {
        long held = get(client.submit(head.job("true").hold("user").build()).accepted());
        try {
            StartEstimate e = get(client.expectedStart(held));
            assertFalse(e.planned(), String.valueOf(e));
            assertEquals(java.util.List.of(), e.nodes());
            assertEquals("JobHeldUser", e.reason());
        } finally {
            get(client.cancel(held));
        }
    }

    @Test
    void anUnknownJobFailsWithNoStateAndBadArgumentsAreRefused() throws Exception {
        var unknown = assertInstanceOf(NotPendingException.class, assertThrows(ExecutionException.class,
                () -> get(client.expectedStart(999_999))).getCause());
        assertNull(unknown.state());
        assertEquals(999_999, unknown.jobId());
        assertEquals("cannot forecast the start of job 999999: job 999999 does not exist", unknown.getMessage());

        assertEquals("a job id is at least 1, not -3", assertThrows(IllegalArgumentException.class,
                () -> client.expectedStart(-3)).getMessage());
        assertEquals("a trial start needs the spec of the job to plan, not null",
                assertThrows(IllegalArgumentException.class, () -> client.trialStart(null)).getMessage());
    }

    /** The client file with its REST API at another address. */
    private static ClientFile restAt(String httpUrl) throws Exception {
        ClientFile f = ClientFile.read(head.clientFile());
        return new ClientFile(f.brokerUrl(), f.amqpUrl(), f.stompUrl(), httpUrl, f.user(), f.password(), f.token(),
                f.execUser(), f.execPassword(), f.nodePort(), f.headCertificate());
    }

    @Test
    void closeFailsAForecastStillWaitingAndAnAbsentHeadIsNamed() throws Exception {
        // A REST API that takes the connection and never answers: the forecast waits until close().
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout((int) InJvmHead.WAIT.toMillis());
            CadreClient other = CadreClient.connect(restAt("http://127.0.0.1:" + silent.getLocalPort()));
            CompletableFuture<StartEstimate> waiting = other.expectedStart(5);
            try (Socket taken = silent.accept()) {
                assertFalse(waiting.isDone());
                other.close();
                var closed = assertThrows(ExecutionException.class, () -> get(waiting)).getCause();
                assertEquals(CadreException.class, closed.getClass());
                assertEquals("the Cadre client was closed before the head answered; cannot forecast the start of"
                        + " job 5", closed.getMessage());
                assertEquals("the Cadre client is closed", assertThrows(CadreException.class,
                        () -> other.expectedStart(5)).getMessage());
                assertEquals("the Cadre client is closed", assertThrows(CadreException.class,
                        () -> other.trialStart(head.job("true").build())).getMessage());
            }
        }

        int free = CadreProcess.freePort();
        try (CadreClient absent = CadreClient.connect(restAt("http://127.0.0.1:" + free))) {
            var unreachable = assertThrows(ExecutionException.class, () -> get(absent.expectedStart(6))).getCause();
            assertEquals(CadreException.class, unreachable.getClass());
            assertTrue(unreachable.getMessage().startsWith("cannot forecast the start of job 6: the head's REST API"
                    + " at http://127.0.0.1:" + free + ": "), unreachable.getMessage());
        }
    }
}
