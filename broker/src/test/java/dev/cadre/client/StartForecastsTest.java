package dev.cadre.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientReply.StartForecast.Unavailable;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RejectionCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * How the client reads the head's answers to a start forecast: a scheduler busy or stopping is a distinct failure
 * carrying when to ask again (the REST API's Retry-After), and the job's record tells a pending job's reason from a job
 * with no expected start. The whole exchange against a real head is CadreClientStartForecastTest's (cli).
 */
class StartForecastsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static Throwable failure(ClientReply reply, Throwable error) {
        return assertThrows(CompletionException.class,
                () -> StartForecasts.answer("the start of job 7", TIMEOUT, reply, error)).getCause();
    }

    @Test
    void aBusyOrStoppingSchedulerFailsWithWhenToAskAgain() {
        var busy = assertInstanceOf(ForecastUnavailableException.class, failure(ClientReply.StartForecast
                .unavailable(Unavailable.BUSY, "16 start forecasts are being planned or waiting to be"), null));
        assertEquals(Unavailable.BUSY, busy.why());
        assertEquals(Duration.ofSeconds(2), busy.retryAfter());
        assertEquals("cannot forecast the start of job 7 for now (busy): 16 start forecasts are being planned or"
                + " waiting to be", busy.getMessage());

        var stopping = assertInstanceOf(ForecastUnavailableException.class, failure(ClientReply.StartForecast
                .unavailable(Unavailable.STOPPING, "the scheduler is stopping; nothing was planned"), null));
        assertEquals(Duration.ofSeconds(10), stopping.retryAfter());

        var failed = failure(new ClientReply.StartForecast(List.of(), "the planner failed"), null);
        assertEquals(CadreException.class, failed.getClass(), "asking again meets the same failure: no retry hint");
        assertEquals("cannot forecast the start of job 7: the planner failed", failed.getMessage());
    }

    @Test
    void noAnswerOrARefusedTrialNamesWhatWasAsked() {
        var silent = failure(null, new TimeoutException());
        assertEquals("cannot forecast the start of job 7: no answer from the scheduler within PT10S (of its send, or"
                + " of waiting to send it while the head is away)", silent.getMessage());
        var rejected = assertInstanceOf(JobRejectedException.class, failure(new ClientReply.JobRejected(null,
                RejectionCode.INVALID_FIELD, "spec.cpusPerTask must be at least 1", "spec.cpusPerTask"), null));
        assertEquals("spec.cpusPerTask", rejected.field());

        var plan = new ClientReply.StartForecast(List.of(new ClientReply.ExpectedStart(7,
                Instant.parse("2026-11-24T11:00:00Z"), List.of("n1"), 4)), null);
        assertSame(plan, StartForecasts.answer("the start of job 7", TIMEOUT, plan, null));
    }

    @Test
    void theJobsRecordGivesAPendingJobsReasonOrWhyItHasNoStart() throws CadreException {
        assertEquals("Resources", StartForecasts.waitReason(7, 200, "{\"id\":7,\"state\":\"PENDING\","
                + "\"reason\":\"Resources\"}"));
        assertNull(StartForecasts.waitReason(7, 200, "{\"id\":7,\"state\":\"PENDING\"}"));

        var running = assertThrows(NotPendingException.class, () -> StartForecasts.waitReason(7, 200,
                "{\"id\":7,\"state\":\"RUNNING\",\"reason\":null}"));
        assertEquals(JobState.RUNNING, running.state());
        assertEquals("cannot forecast the start of job 7: job 7 is RUNNING: only a pending job has an expected"
                + " start", running.getMessage());

        var unknown = assertThrows(NotPendingException.class, () -> StartForecasts.waitReason(8, 404,
                "{\"status\":404,\"detail\":\"job 8 does not exist\"}"));
        assertNull(unknown.state());
        assertEquals("cannot forecast the start of job 8: job 8 does not exist", unknown.getMessage());

        var token = assertThrows(CadreException.class, () -> StartForecasts.waitReason(8, 401, "{}"));
        assertEquals("cannot forecast the start of job 8: the head refused the client file's token (HTTP 401 from"
                + " the head)", token.getMessage());
    }
}
