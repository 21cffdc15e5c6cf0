package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceReconcilerTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final Allocation ON_N1 = new Allocation(List.of(new Allocation.NodeSlots("n1", "n1", 1, 1, 0, 0)));

    private static ServiceRecord service(int replicas, int budget) {
        return new ServiceRecord(new ServiceSpec("web", replicas, CoreScenario.spec().build(), budget),
                ServiceRecord.ACTIVE, 0, null, null, 0, NOW);
    }

    private static JobRecord instance(long id, JobState state, Instant start, Instant end) {
        return new JobRecord(id, "k" + id, CoreScenario.spec().service("web").build(), state, state == JobState.FAILED
                ? "NonZeroExitCode" : null, 1, ON_N1, true, state == JobState.FAILED ? 3 : null, null, NOW, start,
                end);
    }

    @Test
    void startsWhatIsMissingAndCancelsTheNewestExtras() {
        var plan = ServiceReconciler.reconcile(service(3, 10), List.of(instance(5, JobState.RUNNING, NOW, null)), NOW);
        assertEquals(2, plan.start());
        assertEquals(2, plan.service().launched(), "launched counts the instances created so far");
        var down = ServiceReconciler.reconcile(service(1, 10), List.of(instance(5, JobState.RUNNING, NOW, null),
                instance(9, JobState.PENDING, null, null)), NOW);
        assertEquals(List.of(9L), down.cancel());
        assertEquals(0, down.start());
    }

    @Test
    void failuresBackOffExponentiallyUpToTheCapAndSpendTheBudget() {
        ServiceRecord s = service(1, 4);
        Instant t = NOW;
        List<Duration> waits = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            s = ServiceReconciler.instanceEnded(s, instance(i, JobState.FAILED, t, t.plusSeconds(1)), t);
            waits.add(Duration.between(t, s.nextAttempt()));
            assertEquals(i, s.consecutiveFailures());
            assertTrue(s.lastError().contains("exit code 3 on n1"), s.lastError());
            assertEquals(0, ServiceReconciler.reconcile(s, List.of(), t).start(), "no placement during the backoff");
            t = s.nextAttempt();
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8)), waits);
        assertEquals(ServiceRecord.FAILED, s.state(), "four failures in a row spend a budget of four");
        assertEquals(0, ServiceReconciler.reconcile(s, List.of(), t.plusSeconds(3600)).start());
        assertEquals(Duration.ofMinutes(5), ServiceReconciler.backoff(30));
    }

    @Test
    void aHealthyRunStartsTheCountAgainAndACancelIsNoFailure() {
        ServiceRecord s = ServiceReconciler.instanceEnded(service(1, 10), instance(1, JobState.FAILED, NOW,
                NOW.plusSeconds(1)), NOW);
        s = ServiceReconciler.instanceEnded(s, instance(2, JobState.CANCELLED, NOW, NOW.plusSeconds(2)), NOW);
        assertEquals(1, s.consecutiveFailures());
        s = ServiceReconciler.instanceEnded(s, instance(3, JobState.FAILED, NOW, NOW.plusSeconds(61)), NOW);
        assertEquals(1, s.consecutiveFailures(), "it ran over a minute: the run of failures starts again");
        var plan = ServiceReconciler.reconcile(s, List.of(instance(4, JobState.RUNNING, NOW, null)),
                NOW.plusSeconds(61));
        assertEquals(0, plan.service().consecutiveFailures(), "a running instance past a minute resets the count");
    }

    @Test
    void aDeletedServiceCancelsEverythingThenIsForgotten() {
        ServiceRecord s = service(2, 10).with(ServiceRecord.DELETING, 0, null, null, 2);
        var plan = ServiceReconciler.reconcile(s, List.of(instance(5, JobState.RUNNING, NOW, null),
                instance(6, JobState.COMPLETING, NOW, null)), NOW);
        assertEquals(List.of(5L), plan.cancel());
        assertEquals(false, plan.forget());
        assertTrue(ServiceReconciler.reconcile(s, List.of(), NOW).forget());
    }
}
