package dev.cadre.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Who cancelled a job, as a result carries it from the event that ended the job (docs/protocol.md 8.1). */
class JobResultTest {
    private static final String CANCELLED = "{\"version\": 1, \"type\": \"job-state-changed\", \"jobId\": 42,"
            + " \"previous\": \"COMPLETING\", \"state\": \"CANCELLED\", \"reason\": \"CancelledByUser\","
            + " \"time\": \"2026-11-21T10:00:07.931Z\", \"attempt\": 1, \"user\": \"alice\", \"name\": \"hello\","
            + " \"exitCode\": 0, \"signal\": 15";

    private static JobResult resultOf(String json) throws ProtocolException {
        return JobResult.of(MessageCodec.decode(json, JobEvent.JobStateChanged.class));
    }

    @Test
    void aResultNamesTheUserWhoseCancelEndedTheJob() throws ProtocolException {
        JobResult r = resultOf(CANCELLED + ", \"cancelledBy\": \"bob\"}");
        assertEquals(new JobResult(42, JobState.CANCELLED, 0, 15, "CancelledByUser",
                Instant.parse("2026-11-21T10:00:07.931Z"), "bob"), r);
    }

    @Test
    void anEventOfAnOlderHeadOrTheSchedulersOwnCancelNamesNobody() throws ProtocolException {
        assertNull(resultOf(CANCELLED + "}").cancelledBy(), "an older head's event has no such field");
        assertNull(resultOf(CANCELLED + ", \"cancelledBy\": null}").cancelledBy());
        assertNull(JobResult.of(new ClientReply.JobAccepted(42, "s", true, JobState.CANCELLED, null, null))
                .cancelledBy(), "an acceptance does not say who cancelled");
    }

    @Test
    void anEndingRememberedBeforeItsAcceptanceKeepsItsCanceller() throws ProtocolException {
        PendingResults pending = new PendingResults(2);
        pending.changed(MessageCodec.decode(CANCELLED + ", \"cancelledBy\": \"bob\"}",
                JobEvent.JobStateChanged.class));
        JobResult r = pending.accepted(new Submission("s", JobSpec.builder().build(), id -> { }),
                new ClientReply.JobAccepted(42, "s", false, JobState.PENDING, null, null));
        assertEquals("bob", r.cancelledBy());
    }

    @Test
    void aNameThatIsNoUserNameIsRefused() {
        var e = assertThrows(ProtocolException.class, () -> resultOf(CANCELLED
                + ", \"cancelledBy\": \"bob\\u001b[2J\"}"));
        assertEquals(RejectionCode.INVALID_FIELD, e.code());
        assertThrows(IllegalArgumentException.class, () -> new JobResult(42, JobState.CANCELLED, 0, 15, null, null,
                "bob\nFAILED"));
    }
}
