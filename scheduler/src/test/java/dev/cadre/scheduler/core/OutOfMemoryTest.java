package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node kills an attempt over its memory request: the job's own failure, ended OUT_OF_MEMORY. */
class OutOfMemoryTest {
    private static final String ERROR = "used 412 MiB of its 50 MiB memory limit";
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    private void killedForMemory(long id) {
        JobRecord j = s.job(id);
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, j.attempt(), j.allocation().coordinator()
                .nodeId(), 0, 9, JobState.OUT_OF_MEMORY, s.clock.instant(), ERROR)));
    }

    @Test
    void theJobEndsOutOfMemoryWithTheFiguresAndIsNotRequeued() {
        s.node("n1", 4);
        long id = s.submit(CoreScenario.spec().memoryMb(50L).maxAttempts(4));
        s.schedule();
        killedForMemory(id);
        JobRecord ended = s.job(id);
        assertEquals(JobState.OUT_OF_MEMORY, ended.state());
        assertEquals("OutOfMemory: " + ERROR, ended.reason());
        assertEquals(9, ended.signal());
        JobChange last = s.changes.get(s.changes.size() - 1);
        assertEquals(JobState.RUNNING, last.previous());
        assertEquals(JobState.OUT_OF_MEMORY, last.attempt().state(), "the attempt history records it");
        assertEquals(ERROR, last.attempt().error());
        s.clock.advance(java.time.Duration.ofHours(1));
        s.schedule();
        assertEquals(JobState.OUT_OF_MEMORY, s.job(id).state(), "attempts remain, but it is not started again");
        assertEquals(1, s.job(id).attempt());
    }

    @Test
    void aKillForMemoryCrossingACancelKeepsTheNodesReason() {
        s.node("n1", 4);
        long id = s.submit(CoreScenario.spec().memoryMb(50L));
        s.schedule();
        s.apply(s.core.control().cancel(new dev.cadre.protocol.ControlRequest.CancelJob(id)).decisions());
        assertEquals(JobState.COMPLETING, s.job(id).state());
        killedForMemory(id);
        assertEquals(JobState.OUT_OF_MEMORY, s.job(id).state());
    }

    @Test
    void dependenciesTakeItAsAFailure() {
        s.node("n1", 8);
        long first = s.submit(CoreScenario.spec().memoryMb(50L));
        long ok = s.submit(CoreScenario.spec().dependency("afterok:" + first));
        long notOk = s.submit(CoreScenario.spec().dependency("afternotok:" + first));
        long any = s.submit(CoreScenario.spec().dependency("afterany:" + first));
        s.schedule();
        killedForMemory(first);
        s.schedule();
        assertEquals(JobState.CANCELLED, s.job(ok).state());
        assertEquals("DependencyNeverSatisfied", s.job(ok).reason());
        assertEquals(JobState.RUNNING, s.job(notOk).state());
        assertEquals(JobState.RUNNING, s.job(any).state());
    }

    @Test
    void aStandingServiceCountsItAsAnInstanceFailure() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        ServiceRecord service = ServiceRecord.created(new ServiceSpec("web", 1, CoreScenario.spec().build(), 1), now);
        JobRecord instance = new JobRecord(3, "k3", CoreScenario.spec().service("web").build(),
                JobState.OUT_OF_MEMORY, "OutOfMemory: " + ERROR, 1,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "n1", 1, 1, 0, 0))), true, 0, 9, now, now,
                now.plusSeconds(1));
        ServiceRecord after = ServiceReconciler.instanceEnded(service, instance, now.plusSeconds(1));
        assertEquals(1, after.consecutiveFailures());
        assertEquals(ServiceRecord.FAILED, after.state(), "a budget of one is spent by it");
        assertTrue(after.lastError().contains("OUT_OF_MEMORY"), after.lastError());
    }
}
