package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node sends a batch of runner events again when its send failed, since the broker may have had it all the same
 * (the node-runner's RunnerEventSender): the copy arrives right after the batch, and must decide nothing.
 */
class RepeatedRunnerEventsTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private RunnerEvent.RunnerEvents batch(RunnerEvent... events) {
        return new RunnerEvent.RunnerEvents("n1", List.of(events), s.clock.instant());
    }

    private RunnerEvent.RunnerRunning running(long id, int attempt) {
        return new RunnerEvent.RunnerRunning(id, attempt, "n1", s.clock.instant());
    }

    private RunnerEvent.RunnerFinished finished(long id, int attempt, int exit, JobState killedFor) {
        return new RunnerEvent.RunnerFinished(id, attempt, "n1", exit, 0, killedFor, s.clock.instant(), null);
    }

    private void assertNothingDecided(RunnerEvent copy) {
        Map<Long, JobRecord> before = new HashMap<>(s.stored);
        Decisions d = s.apply(s.core.onRunnerEvent(copy));
        assertEquals(List.of(), d.changes(), "no state change");
        assertEquals(List.of(), d.messages(), "no command to a node");
        assertEquals(List.of(), d.inserted(), "no job");
        assertEquals(List.of(), d.events(), "no job event");
        assertEquals(before, s.stored);
    }

    @Test
    void aBatchReceivedTwiceChangesNothingTheSecondTime() {
        s.node("n1", 4);
        long a = s.submit(CoreScenario.spec());
        long b = s.submit(CoreScenario.spec());
        long c = s.submit(CoreScenario.spec());
        long d = s.submit(CoreScenario.spec());
        s.schedule();
        RunnerEvent.RunnerEvents sent = batch(running(a, 1), finished(a, 1, 3, null), running(b, 1), running(c, 1),
                finished(c, 1, 0, null), new RunnerEvent.RunnerFailed(d, 1, "n1", "cannot start", s.clock.instant()));
        s.apply(s.core.onRunnerEvent(sent));
        assertEquals(JobState.FAILED, s.job(a).state());
        assertEquals(JobState.RUNNING, s.job(b).state());
        assertTrue(s.job(b).launchConfirmed());
        assertEquals(JobState.COMPLETED, s.job(c).state());
        assertEquals(JobState.FAILED, s.job(d).state());
        int changes = s.changes.size();

        assertNothingDecided(sent);
        assertEquals(changes, s.changes.size());
        // A lone event sent again, as a batch of one goes.
        assertNothingDecided(finished(a, 1, 3, null));
        assertNothingDecided(running(b, 1));
    }

    @Test
    void aCopyOfAnAttemptRequeuedSinceLeavesTheNextAttemptAlone() {
        s.node("n1", 4);
        long a = s.submit(CoreScenario.spec().maxAttempts(2));
        s.schedule();
        // The node could not run it for a fault of its own: the job is requeued.
        RunnerEvent.RunnerEvents sent = batch(running(a, 1), finished(a, 1, 0, JobState.NODE_FAIL));
        s.apply(s.core.onRunnerEvent(sent));
        assertEquals(JobState.PENDING, s.job(a).state());
        s.clock.advance(Duration.ofMinutes(10));
        s.schedule();
        s.apply(s.core.onRunnerEvent(running(a, 2)));
        assertEquals(2, s.job(a).attempt());
        assertEquals(JobState.RUNNING, s.job(a).state());

        assertNothingDecided(sent);
        assertTrue(s.job(a).launchConfirmed());
    }
}
