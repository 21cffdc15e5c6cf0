package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review 98, finding 1: a head restored from a backup believes running a job that ended since. Before it declares
 * the attempt lost it asks the coordinator (query-attempt), which answers from its records: the recorded end is
 * applied as any runner-finished, and only an attempt the node knows nothing of, or that it does not answer for,
 * is NODE_FAIL. Also review 97, finding 4: an attempt whose place-job expired unread is not left RUNNING for ever.
 */
class AttemptOutcomeQueryTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private Decisions heartbeat(RunnerEvent.RunningAttempt... running) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host1", List.of(), 4, 64_000, 0,
                List.of(running), s.clock.instant())));
    }

    /** A restored head: job 23 was running when the backup was taken, confirmed by its node. */
    private long restoredRunningJob() {
        long id = s.submit(CoreScenario.spec().maxAttempts(3));
        heartbeat();
        s.schedule();
        JobRecord running = s.job(id).confirmed();
        CoreScenario restored = new CoreScenario(PlacementPolicy.Kind.FCFS);
        restored.stored.put(id, running);
        restored.apply(restored.core.recover(List.of(running), List.of(new NodeRecord("n1", "host1", List.of(), 4,
                64_000, 0, NodeRecord.NodeState.UP, s.clock.instant(), null, null)), id));
        scenario = restored;
        return id;
    }

    private CoreScenario scenario;

    private Decisions heartbeatRestored(RunnerEvent.RunningAttempt... running) {
        return scenario.apply(scenario.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host1", List.of(), 4,
                64_000, 0, List.of(running), scenario.clock.instant())));
    }

    private static List<NodeCommand.QueryAttempt> queries(Decisions d) {
        return d.messages().stream().filter(o -> o.message() instanceof NodeCommand.QueryAttempt)
                .map(o -> (NodeCommand.QueryAttempt) o.message()).toList();
    }

    @Test
    void anAttemptThatEndedSinceTheBackupIsAskedForAndEndsAsTheNodeRecordedIt() {
        long id = restoredRunningJob();
        Decisions first = heartbeatRestored();
        assertEquals(JobState.RUNNING, scenario.job(id).state(), "not declared lost before the node is asked");
        assertEquals(List.of(new NodeCommand.QueryAttempt(id, 1, NodeMessages.jobKey(scenario.job(id)))),
                queries(first));
        assertEquals("cadre.node.n1", first.messages().get(0).destination());
        assertEquals(List.of("node host1 no longer lists attempts the head believed running, of jobs " + id
                + "; asking their coordinators for the ends they recorded"), first.notes());
        assertEquals(List.of(), queries(heartbeatRestored()), "asked once");

        scenario.apply(scenario.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 0, null,
                scenario.clock.instant().minusSeconds(60))));
        assertEquals(JobState.COMPLETED, scenario.job(id).state());
        scenario.clock.advance(Duration.ofSeconds(31));
        heartbeatRestored();
        assertTrue(scenario.apply(scenario.core.tick()).warnings().isEmpty());
        assertEquals(JobState.COMPLETED, scenario.job(id).state());
    }

    @Test
    void anAttemptTheNodeHasNoRecordOfIsLostAndRequeued() {
        long id = restoredRunningJob();
        heartbeatRestored();
        scenario.apply(scenario.core.onRunnerEvent(new RunnerEvent.RunnerReleased(id, 1, "n1",
                scenario.clock.instant())));
        assertEquals(JobState.PENDING, scenario.job(id).state());
        assertEquals(JobState.NODE_FAIL, scenario.changes.stream().filter(c -> c.attempt() != null
                && c.attempt().endTime() != null).findFirst().orElseThrow().attempt().state());
        assertEquals(List.of("node host1 has no record of the end of attempts the head believed running: 1 requeued ("
                + id + ")"), scenario.apply(scenario.core.tick()).warnings());
    }

    @Test
    void anAttemptWhoseCoordinatorDoesNotAnswerIsLostAfterTheNodeTimeout() {
        long id = restoredRunningJob();
        heartbeatRestored();
        scenario.clock.advance(Duration.ofSeconds(20));
        heartbeatRestored();
        assertTrue(scenario.apply(scenario.core.tick()).warnings().isEmpty());
        assertEquals(JobState.RUNNING, scenario.job(id).state());
        scenario.clock.advance(Duration.ofSeconds(11));
        heartbeatRestored();
        Decisions late = scenario.apply(scenario.core.tick());
        assertEquals(JobState.PENDING, scenario.job(id).state());
        assertEquals(List.of("no answer within 30 s on how attempts ended that their nodes no longer list: 1 requeued"
                + " (" + id + ")"), late.warnings());
    }

    @Test
    void anAttemptTheNodeListsAgainIsNotLost() {
        long id = restoredRunningJob();
        heartbeatRestored();
        heartbeatRestored(new RunnerEvent.RunningAttempt(id, 1));
        scenario.clock.advance(Duration.ofSeconds(31));
        heartbeatRestored(new RunnerEvent.RunningAttempt(id, 1));
        scenario.apply(scenario.core.tick());
        assertEquals(JobState.RUNNING, scenario.job(id).state());
    }

    @Test
    void anAttemptWhosePlaceJobExpiredUnreadIsLostOnceItsNodeGoesOnWithoutIt() {
        heartbeat();
        long id = s.submit(CoreScenario.spec().maxAttempts(3));
        s.schedule();
        for (int i = 0; i < 3; i++) {
            s.clock.advance(Duration.ofSeconds(20));
            heartbeat();
            s.apply(s.core.tick());
        }
        assertEquals(JobState.RUNNING, s.job(id).state(), "60 s: its events may still be on their way");
        s.clock.advance(Duration.ofSeconds(1));
        Decisions lapsed = heartbeat();
        assertEquals(JobState.PENDING, s.job(id).state());
        assertEquals(List.of("node host1 lost attempts of jobs: 1 requeued (" + id + ")"), lapsed.warnings());
    }
}
