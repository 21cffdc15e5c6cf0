package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceReconcilerTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final Allocation ON_N1 = new Allocation(List.of(new Allocation.NodeSlots("n1", "n1", 1, 1, 0, 0)));

    private static ServiceRecord service(int replicas, int budget) {
        return ServiceRecord.created(new ServiceSpec("web", replicas, CoreScenario.spec().build(), budget), NOW);
    }

    private static JobRecord instance(long id, JobState state, Instant start, Instant end) {
        return instance(id, state, start, end, ON_N1);
    }

    private static JobRecord instance(long id, JobState state, Instant start, Instant end, Allocation on) {
        return new JobRecord(id, "k" + id, CoreScenario.spec().service("web").build(), state, state == JobState.FAILED
                ? "NonZeroExitCode" : null, 1, on, true, state == JobState.FAILED ? 3 : null, null,
                start == null ? NOW : start, start, end);
    }

    private static ServiceReconciler.Plan reconcile(ServiceRecord s, List<JobRecord> instances, Instant now) {
        return ServiceReconciler.reconcile(s, instances, Optional.empty(), now);
    }

    @Test
    void startsWhatIsMissingAndCancelsTheNewestExtras() {
        var plan = reconcile(service(3, 10), List.of(instance(5, JobState.RUNNING, NOW, null)), NOW);
        assertEquals(2, plan.start());
        assertEquals(2, plan.service().launched(), "launched counts the instances created so far");
        var down = reconcile(service(1, 10), List.of(instance(5, JobState.RUNNING, NOW, null),
                instance(9, JobState.PENDING, null, null)), NOW);
        assertEquals(List.of(9L), down.cancel());
        assertEquals(0, down.start());
    }

    @Test
    void failuresBackOffExponentiallyUpToTheCapAndSpendTheBudget() {
        ServiceRecord s = service(1, 4);
        Instant t = NOW;
        List<Duration> waits = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            s = ServiceReconciler.instanceEnded(s, instance(i, JobState.FAILED, t, t.plusSeconds(1)), t.plusSeconds(1));
            waits.add(Duration.between(t.plusSeconds(1), s.nextAttempt()));
            assertEquals(i, s.consecutiveFailures());
            assertTrue(s.lastError().contains("exit code 3 on n1"), s.lastError());
            assertEquals(0, reconcile(s, List.of(), t.plusSeconds(1)).start(), "no placement during the backoff");
            t = s.nextAttempt();
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8)), waits);
        assertEquals(ServiceRecord.FAILED, s.state(), "four failures in a row spend a budget of four");
        assertEquals(0, reconcile(s, List.of(), t.plusSeconds(3600)).start());
        assertEquals(Duration.ofMinutes(5), ServiceReconciler.backoff(30));
    }

    @Test
    void healthySiblingsDoNotResetTheCountOfTheInstanceThatKeepsFailing() {
        // Three replicas: two healthy since NOW, the third crashes a second after each start.
        ServiceRecord s = service(3, 5);
        List<JobRecord> healthy = List.of(instance(1, JobState.RUNNING, NOW, null),
                instance(2, JobState.RUNNING, NOW, null));
        Instant t = NOW.plusSeconds(120);
        int placed = 0;
        for (long id = 10; id < 40 && s.state().equals(ServiceRecord.ACTIVE); id++) {
            s = ServiceReconciler.instanceEnded(s, instance(id, JobState.FAILED, t, t.plusSeconds(1)),
                    t.plusSeconds(1));
            Instant backoffEnds = s.nextAttempt();
            var during = reconcile(s, healthy, t.plusSeconds(1).plusMillis(200));
            assertEquals(0, during.start(), "no replacement before the backoff ends");
            assertEquals(s.consecutiveFailures(), during.service().consecutiveFailures(), "siblings reset nothing");
            assertEquals(backoffEnds, during.service().nextAttempt(), "the backoff is never cleared");
            var after = reconcile(during.service(), healthy, backoffEnds);
            placed += after.start();
            s = after.service();
            t = backoffEnds;
        }
        assertEquals(ServiceRecord.FAILED, s.state(), s.toString());
        assertEquals(5, s.consecutiveFailures());
        assertEquals(4, placed, "one replacement per failure until the budget is spent");
    }

    @Test
    void onlyAnInstanceStartedAfterTheLastFailureThatRunsAMinuteResetsTheCount() {
        ServiceRecord s = ServiceReconciler.instanceEnded(service(2, 10), instance(3, JobState.FAILED, NOW,
                NOW.plusSeconds(1)), NOW.plusSeconds(1));
        JobRecord old = instance(1, JobState.RUNNING, NOW.minusSeconds(600), null);
        JobRecord replacement = instance(4, JobState.RUNNING, NOW.plusSeconds(2), null);
        assertEquals(1, reconcile(s, List.of(old, replacement), NOW.plusSeconds(61)).service().consecutiveFailures(),
                "the replacement has run 59 s; the older sibling proves nothing");
        var proved = reconcile(s, List.of(old, replacement), NOW.plusSeconds(62)).service();
        assertEquals(0, proved.consecutiveFailures());
        assertEquals(s.nextAttempt(), proved.nextAttempt(), "the reset leaves the backoff alone");
        assertEquals(s.lastError(), proved.lastError());
    }

    @Test
    void aLostNodeSpendsNoFailureBudgetAndItsInstancesAreReplacedAfterOneRoundsBackoff() {
        ServiceRecord ten = service(10, 10).withLaunched(10);
        for (int i = 0; i < 10; i++) {
            ten = ServiceReconciler.instanceEnded(ten, instance(20 + i, JobState.NODE_FAIL, NOW, NOW.plusSeconds(30)),
                    NOW.plusSeconds(30));
        }
        assertEquals(ServiceRecord.ACTIVE, ten.state());
        assertEquals(0, ten.consecutiveFailures(), "ten young replicas lost with their node");
        assertEquals(1, ten.nodeFailures(), "one node loss, one round");
        assertTrue(ten.lastError().contains("NODE_FAIL"), ten.lastError());
        assertEquals(0, reconcile(ten, List.of(), NOW.plusSeconds(30)).start(), "the backoff of one round");
        assertEquals(10, reconcile(ten, List.of(), NOW.plusSeconds(31)).start(), "then all replaced");

        ServiceRecord budgetOfOne = ServiceReconciler.instanceEnded(service(1, 1), instance(3, JobState.FAILED, NOW,
                NOW.plus(Duration.ofDays(3))), NOW.plus(Duration.ofDays(3)));
        assertEquals(ServiceRecord.ACTIVE, budgetOfOne.state(), "three days of service are no failure");
        assertEquals(0, budgetOfOne.consecutiveFailures());
    }

    @Test
    void anInstanceThatKeepsTakingItsNodeDownBacksOffThenFailsSayingWhy() {
        ServiceRecord s = service(1, 2);
        assertEquals(6, s.spec().nodeFailureBudget(), "three times the failure budget");
        Instant t = NOW;
        for (int i = 1; i <= 6; i++) {
            Instant end = t.plusSeconds(15);
            s = ServiceReconciler.instanceEnded(s, instance(i, JobState.NODE_FAIL, t, end), end);
            assertEquals(i, s.nodeFailures());
            assertEquals(0, s.consecutiveFailures(), "the failure budget is not spent");
            if (i < 6) {
                assertEquals(ServiceReconciler.backoff(i), Duration.between(end, s.nextAttempt()));
                assertEquals(ServiceRecord.ACTIVE, s.state());
                var plan = reconcile(s, List.of(), s.nextAttempt());
                assertEquals(1, plan.start());
                s = plan.service();
                t = s.nextAttempt();
            }
        }
        assertEquals(ServiceRecord.FAILED, s.state(), "it stops walking the cluster");
        assertTrue(s.lastError().startsWith("6 rounds in a row of instances lost with their node"), s.lastError());
        assertTrue(s.lastError().contains("instance 6 ended NODE_FAIL"), s.lastError());
        assertEquals(0, reconcile(s, List.of(), t.plusSeconds(3600)).start());

        ServiceRecord lost = ServiceReconciler.instanceEnded(service(1, 2), instance(1, JobState.NODE_FAIL, NOW,
                NOW.plusSeconds(5)), NOW.plusSeconds(5));
        JobRecord replacement = instance(2, JobState.RUNNING, NOW.plusSeconds(7), null);
        assertEquals(0, reconcile(lost, List.of(replacement), NOW.plusSeconds(68)).service().nodeFailures(),
                "a replacement that ran a minute proves the node was at fault");
    }

    @Test
    void replicasFailingTogetherAreOneFailureAndTheBackoffDoublesPerRound() {
        ServiceRecord s = service(10, 10).withLaunched(10);
        Instant t = NOW;
        for (int round = 1; round <= 3; round++) {
            Instant end = t.plusSeconds(5);
            for (int i = 0; i < 10; i++) {
                s = ServiceReconciler.instanceEnded(s, instance(round * 100 + i, JobState.FAILED, t, end), end);
            }
            assertEquals(round, s.consecutiveFailures());
            assertEquals(ServiceReconciler.backoff(round), Duration.between(end, s.nextAttempt()));
            var plan = reconcile(s, List.of(), s.nextAttempt());
            assertEquals(10, plan.start());
            s = plan.service();
            t = s.nextAttempt();
        }
        assertEquals(Duration.ofSeconds(4), ServiceReconciler.backoff(s.consecutiveFailures()));
    }

    @Test
    void aCancelledInstanceIsReplacedAtOnceEvenDuringABackoff() {
        ServiceRecord s = ServiceReconciler.instanceEnded(service(3, 10), instance(1, JobState.FAILED, NOW,
                NOW.plusSeconds(1)), NOW.plusSeconds(1));
        s = ServiceReconciler.instanceEnded(s, instance(2, JobState.CANCELLED, NOW, NOW.plusSeconds(1)),
                NOW.plusSeconds(1));
        assertEquals(1, s.consecutiveFailures(), "a cancel is no failure");
        var plan = reconcile(s, List.of(instance(5, JobState.RUNNING, NOW, null)), NOW.plusMillis(1200));
        assertEquals(1, plan.start(), "the cancelled one at once, the failed one after its backoff");
        var later = reconcile(plan.service(), List.of(instance(5, JobState.RUNNING, NOW, null),
                instance(6, JobState.PENDING, null, null)), NOW.plusMillis(1500));
        assertEquals(0, later.start());
        assertEquals(1, reconcile(later.service(), List.of(instance(5, JobState.RUNNING, NOW, null),
                instance(6, JobState.PENDING, null, null)), s.nextAttempt()).start());
    }

    @Test
    void anUpdateScalesAndOnlyAResetGivesAFailedServiceAFreshStart() {
        ServiceRecord failed = ServiceReconciler.instanceEnded(service(3, 1).withLaunched(3),
                instance(3, JobState.FAILED, NOW, NOW.plusSeconds(1)), NOW.plusSeconds(1));
        assertEquals(ServiceRecord.FAILED, failed.state());
        List<JobRecord> running = List.of(instance(1, JobState.RUNNING, NOW, null),
                instance(2, JobState.RUNNING, NOW, null));
        ServiceRecord scaled = ServiceReconciler.updated(failed, 5, null, false);
        assertEquals(ServiceRecord.FAILED, scaled.state(), "a new replica count fixes nothing");
        assertEquals(1, scaled.consecutiveFailures());
        assertEquals(0, reconcile(scaled, running, NOW.plusSeconds(2)).start());
        ServiceRecord up = ServiceReconciler.updated(scaled, null, null, true);
        assertEquals(ServiceRecord.ACTIVE, up.state());
        assertEquals(0, up.consecutiveFailures());
        assertNull(up.nextAttempt());
        assertEquals(1, up.spec().failureBudget(), "the budget stays unless given");
        assertEquals(3, reconcile(up, running, NOW.plusSeconds(2)).start());
        var down = reconcile(ServiceReconciler.updated(up, 1, 4, false), running, NOW.plusSeconds(2));
        assertEquals(List.of(2L), down.cancel(), "the newest instance goes");
        assertEquals(4, down.service().spec().failureBudget());
    }

    @Test
    void reapplyingTheReplicaCountKeepsTheCountAndBackoffOfAServiceThatKeepsFailing() {
        ServiceRecord s = service(2, 3);
        Instant t = NOW;
        for (int i = 1; i <= 3; i++) {
            s = ServiceReconciler.instanceEnded(s, instance(i, JobState.FAILED, t, t.plusSeconds(1)), t.plusSeconds(1));
            ServiceRecord again = ServiceReconciler.updated(s, 2, null, false);
            assertEquals(s.consecutiveFailures(), again.consecutiveFailures(), "an autoscaler's update hides nothing");
            assertEquals(s.nextAttempt(), again.nextAttempt());
            s = again;
            t = s.nextAttempt();
        }
        assertEquals(ServiceRecord.FAILED, s.state());
        ServiceRecord raised = ServiceReconciler.updated(s, null, 5, false);
        assertEquals(ServiceRecord.ACTIVE, raised.state(), "a larger budget leaves room for more attempts");
        assertEquals(3, raised.consecutiveFailures());
        assertEquals(ServiceRecord.FAILED, ServiceReconciler.updated(raised, null, 3, false).state());
    }

    @Test
    void instancesOnADrainedNodeAreReplacedElsewhereThenStoppedWithoutSpendingTheBudget() {
        Allocation onN2 = new Allocation(List.of(new Allocation.NodeSlots("n2", "n2", 1, 1, 0, 0)));
        ServiceRecord s = ServiceReconciler.instanceEnded(service(2, 10).withLaunched(2), instance(9, JobState.FAILED,
                NOW.minusSeconds(300), NOW.minusSeconds(100)), NOW.minusSeconds(100));
        String realError = s.lastError();
        List<JobRecord> onDrained = List.of(instance(1, JobState.RUNNING, NOW, null, onN2),
                instance(2, JobState.RUNNING, NOW, null, onN2));
        NodeTimes drained = new NodeTimes(Map.of("n2", NOW.plusSeconds(100)), Map.of());
        var first = ServiceReconciler.reconcile(s, onDrained, Optional.empty(), drained, NOW.plusSeconds(100));
        assertEquals(2, first.start(), "replacements first");
        assertEquals(List.of(), first.cancel(), "the old ones keep serving until the new ones run");
        List<JobRecord> both = new ArrayList<>(onDrained);
        both.add(instance(3, JobState.PENDING, null, null));
        both.add(instance(4, JobState.PENDING, null, null));
        var waiting = ServiceReconciler.reconcile(first.service(), both, Optional.empty(), drained,
                NOW.plusSeconds(101));
        assertEquals(0, waiting.start());
        assertEquals(List.of(), waiting.cancel());
        both.set(2, instance(3, JobState.RUNNING, NOW.plusSeconds(101), null));
        var one = ServiceReconciler.reconcile(waiting.service(), both, Optional.empty(), drained,
                NOW.plusSeconds(102));
        assertEquals(List.of(1L), one.cancel(), "one moved per replacement running");
        assertTrue(one.moved().contains("instance 1 stopped to move it off drained node n2"), one.moved());
        assertEquals(realError, one.service().lastError(), "a move is no error, and hides none");
        var late = ServiceReconciler.reconcile(waiting.service(), both, Optional.empty(), drained,
                NOW.plusSeconds(160));
        assertEquals(List.of(1L, 2L), late.cancel(), "a replacement that cannot start does not hold a drain up");
        assertEquals("instance 1 stopped to move it off drained node n2 (replaced elsewhere); instance 2 stopped to"
                + " move it off drained node n2 (no replacement could start within 60 s of the drain); the service"
                + " has 1 of 2 running; a move spends no failure budget", late.moved());
        ServiceRecord ended = ServiceReconciler.instanceEnded(one.service(), instance(1, JobState.CANCELLED, NOW,
                NOW.plusSeconds(103)), NOW.plusSeconds(103));
        assertEquals(0, ended.consecutiveFailures(), "a move is no failure");
        assertEquals(ServiceRecord.ACTIVE, ended.state());
        assertEquals(0, ServiceReconciler.reconcile(ended, both.subList(1, 4), Optional.empty(), drained,
                NOW.plusSeconds(104)).start(), "its replacement was started already");
    }

    @Test
    void aMoveNothingReplacedSaysSoAndWhatStillRuns() {
        Allocation onN2 = new Allocation(List.of(new Allocation.NodeSlots("n2", "n2", 1, 1, 0, 0)));
        NodeTimes drained = new NodeTimes(Map.of("n2", NOW), Map.of());
        List<JobRecord> instances = List.of(instance(26, JobState.RUNNING, NOW.minusSeconds(600), null, onN2),
                instance(27, JobState.PENDING, null, null));
        var late = ServiceReconciler.reconcile(service(1, 10).withLaunched(2), instances, Optional.empty(), drained,
                NOW.plusSeconds(61));
        assertEquals(List.of(26L), late.cancel());
        assertEquals("instance 26 stopped to move it off drained node n2 (no replacement could start within 60 s of"
                + " the drain); the service has 0 of 1 running; a move spends no failure budget", late.moved());
    }

    @Test
    void aServiceNoNodeCanHoldSaysSoAndForgetsItOnceOneCan() {
        var problem = Optional.of(new JobSpecValidator.Problem("service.template.nodes", "asks 50 nodes"));
        var plan = ServiceReconciler.reconcile(service(1, 10), List.of(), problem, NOW);
        assertEquals(ServiceReconciler.CANNOT_START + "service.template.nodes: asks 50 nodes",
                plan.service().lastError());
        assertNull(ServiceReconciler.reconcile(plan.service(), List.of(instance(1, JobState.PENDING, null, null)),
                Optional.empty(), NOW).service().lastError());
    }

    @Test
    void aDeletedServiceCancelsEverythingThenIsForgotten() {
        ServiceRecord s = service(2, 10).withLaunched(2).withState(ServiceRecord.DELETING);
        var plan = reconcile(s, List.of(instance(5, JobState.RUNNING, NOW, null),
                instance(6, JobState.COMPLETING, NOW, null)), NOW);
        assertEquals(List.of(5L), plan.cancel());
        assertEquals(false, plan.forget());
        assertTrue(reconcile(s, List.of(), NOW).forget());
    }
}
