package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An instance lost with its node, the node declared lost the way the head declares it: silent for the default
 * node timeout (cadre up's --node-timeout 60), ticked once a second as the scheduler's loop does. The NODE_FAIL
 * then ends a minute after the node's last word, so the instance's own times would say it ran healthily.
 */
class ServiceNodeLossTest {
    private static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(60);
    private final CoreScenario scenario = new CoreScenario(SchedulerSettings.defaults(DEFAULT_NODE_TIMEOUT));

    private Instant now() {
        return scenario.clock.instant();
    }

    private ServiceReconciler.Plan reconcile(ServiceRecord s) {
        return ServiceReconciler.reconcile(s, scenario.core.instancesOf(s.name()), Optional.empty(),
                NodeTimes.of(scenario.core.nodes()), now());
    }

    @Test
    void anInstanceThatTakesItsNodeDownThreeSecondsAfterStartingIsANodeFailureAndBacksOff() {
        scenario.node("n1", 4);
        ServiceRecord s = ServiceRecord.created(new ServiceSpec("web", 1, CoreScenario.spec().build(), 10), now());
        // One failure already counted, so that a round wrongly taken for healthy shows as a reset.
        s = ServiceReconciler.instanceEnded(s, new JobRecord(1, "k1", s.spec().instanceSpec(), JobState.FAILED,
                "NonZeroExitCode", 1, null, true, 1, null, now(), now(), now()), now());
        assertEquals(1, s.consecutiveFailures());
        scenario.clock.advance(Duration.ofSeconds(2));

        long id = scenario.submit(s.spec().instanceSpec().toBuilder());
        scenario.schedule();
        scenario.apply(scenario.core.onRunnerEvent(new RunnerEvent.RunnerRunning(id, 1, "n1", now())));
        Instant started = now();
        for (int i = 0; i < 3; i++) {
            scenario.clock.advance(Duration.ofSeconds(1));
            scenario.node("n1", 4);
        }
        // The node's last word, 3 s after the start; then silence, until the head gives it up.
        List<JobRecord> ended = List.of();
        while (ended.isEmpty()) {
            scenario.clock.advance(Duration.ofSeconds(1));
            assertTrue(Duration.between(started, now()).compareTo(Duration.ofMinutes(3)) < 0, "the node never went"
                    + " down");
            scenario.apply(scenario.core.tick());
            ended = scenario.core.takeEndedInstances();
            if (ended.isEmpty()) {
                ServiceReconciler.Plan round = reconcile(s);
                assertEquals(1, round.service().consecutiveFailures(), "still RUNNING on a node silent since 3 s"
                        + " after its start proves nothing, " + Duration.between(started, now()) + " after it");
                s = round.service();
            }
        }
        JobRecord lost = ended.get(0);
        assertEquals(JobState.NODE_FAIL, lost.state());
        assertTrue(Duration.between(lost.startTime(), lost.endTime()).compareTo(Duration.ofSeconds(63)) >= 0,
                "a node silent 3 s after the start is declared lost a whole node timeout later: " + lost);

        s = ServiceReconciler.instanceEnded(s, lost, NodeTimes.of(scenario.core.nodes()), now());
        assertEquals(1, s.nodeFailures(), "it ran 3 s before its node went silent: a node failure");
        assertEquals(1, s.consecutiveFailures(), "which spends none of the failure budget, and resets nothing");
        assertEquals(now().plus(ServiceReconciler.backoff(1)), s.nextAttempt(), "and backs off");
        assertEquals(0, reconcile(s).start(), "no replacement during the backoff");
        scenario.clock.advance(ServiceReconciler.backoff(1));
        assertEquals(1, reconcile(s).start());
    }
}
