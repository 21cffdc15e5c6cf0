package dev.cadre.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingResultsTest {
    private final PendingResults pending = new PendingResults(2);

    private static Submission submission() {
        return new Submission("s", JobSpec.builder().build(), id -> { });
    }

    private static ClientReply.JobAccepted accepted(long id, JobState state, Integer exit) {
        return new ClientReply.JobAccepted(id, "s", state.isTerminal(), state, exit, null);
    }

    private static JobEvent.JobStateChanged event(long id, JobState from, JobState to, Integer exit) {
        return new JobEvent.JobStateChanged(id, from, to, null, Instant.EPOCH, 1, "u", "n", exit, null);
    }

    @Test
    void anEndingAfterTheAcceptanceEndsTheWaitingSubmissions() {
        Submission a = submission();
        Submission b = submission();
        assertNull(pending.accepted(a, accepted(7, JobState.PENDING, null)));
        assertNull(pending.accepted(b, accepted(7, JobState.PENDING, null)));
        assertEquals(List.of(), pending.changed(event(7, JobState.PENDING, JobState.RUNNING, null)));
        assertEquals(List.of(a, b), pending.changed(event(7, JobState.RUNNING, JobState.FAILED, 3)));
        assertEquals(0, pending.waitingJobs());
    }

    @Test
    void anEndingBeforeTheAcceptanceIsRememberedForIt() {
        assertEquals(List.of(), pending.changed(event(8, JobState.RUNNING, JobState.COMPLETED, 0)));
        JobResult r = pending.accepted(submission(), accepted(8, JobState.PENDING, null));
        assertEquals(new JobResult(8, JobState.COMPLETED, 0, null, null, Instant.EPOCH), r);
        assertEquals(0, pending.waitingJobs());
    }

    @Test
    void anAcceptanceOfAnEndedJobCarriesItsResult() {
        JobResult r = pending.accepted(submission(), accepted(9, JobState.FAILED, 4));
        assertEquals(new JobResult(9, JobState.FAILED, 4, null, null, null), r);
    }

    @Test
    void onlyTheMostRecentEndingsAreKept() {
        pending.changed(event(1, JobState.RUNNING, JobState.COMPLETED, 0));
        pending.changed(event(2, JobState.RUNNING, JobState.COMPLETED, 0));
        pending.changed(event(3, JobState.RUNNING, JobState.COMPLETED, 0));
        assertEquals(2, pending.rememberedEndings());
        assertNull(pending.accepted(submission(), accepted(1, JobState.PENDING, null)));
        assertEquals(JobState.COMPLETED, pending.accepted(submission(), accepted(3, JobState.PENDING, null)).state());
    }
}
