package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Placement constraints and the never-fits judgement, through the core. */
class SchedulerCorePlacementTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private SchedulerCore core;

    @BeforeEach
    void setUp() {
        core = new SchedulerCore(clock, PlacementPolicy.Kind.FCFS, Duration.ofSeconds(10), (id, a) -> "t");
    }

    private void node(String id, int cores) {
        core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(id, "host-" + id, List.of(), cores, 1024, 0, List.of(),
                clock.instant()));
    }

    private static JobRecord pending(long id, JobSpec.Builder spec) {
        return new JobRecord(id, "k" + id, spec.name("j" + id).build(), JobState.PENDING, "None", 0, null, false,
                null, null, Instant.parse("2026-11-21T09:00:00Z"), null, null);
    }

    private static JobRecord last(Decisions d, long jobId) {
        return d.changes().stream().map(JobChange::job).filter(j -> j.id() == jobId).reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void aNodeHeldByAnExclusiveJobTakesNoOtherJob() {
        node("n1", 8);
        node("n2", 8);
        core.admitted(pending(1, ResourceFitTest.job().exclusive(true).nodelist(List.of("host-n1"))));
        core.admitted(pending(2, ResourceFitTest.job().tasks(8)));
        core.admitted(pending(3, ResourceFitTest.job().tasks(1)));
        Decisions d = core.schedule();
        assertEquals("host-n1", last(d, 1).allocation().hostnames());
        assertEquals(8, last(d, 1).allocation().coordinator().cpus());
        assertEquals("host-n2", last(d, 2).allocation().hostnames());
        // n1 has 7 idle cores, but its exclusive job keeps them.
        assertEquals("Resources", last(d, 3).reason());
    }

    @Test
    void anExclusiveJobWaitsForAnIdleNode() {
        node("n1", 8);
        core.admitted(pending(1, ResourceFitTest.job().tasks(1)));
        core.admitted(pending(2, ResourceFitTest.job().exclusive(true)));
        Decisions d = core.schedule();
        assertEquals(JobState.RUNNING, last(d, 1).state());
        assertEquals("Resources", last(d, 2).reason());
    }

    @Test
    void excludedAndDownNodesAreNotUsed() {
        node("n1", 8);
        node("n2", 8);
        core.admitted(pending(1, ResourceFitTest.job().exclude(List.of("n1"))));
        assertEquals("host-n2", last(core.schedule(), 1).allocation().hostnames());
        clock.advance(Duration.ofSeconds(11));
        node("n1", 8);
        core.tick();
        core.admitted(pending(2, ResourceFitTest.job().nodelist(List.of("host-n2"))));
        assertEquals("ReqNodeNotAvail", last(core.schedule(), 2).reason());
    }

    @Test
    void beforeAnyNodeRegistersEveryJobIsAcceptedToWait() {
        assertTrue(core.neverFits(ResourceFitTest.job().cpusPerTask(4096).build()).isEmpty());
    }

    @Test
    void aJobIsJudgedAgainstEveryKnownNodeDownOnesIncluded() {
        core.recover(List.of(), List.of(new NodeRecord("big", "big", List.of(), 64, 1024, 0,
                NodeRecord.NodeState.DOWN, clock.instant(), "Not responding")), 0);
        node("n1", 8);
        assertTrue(core.neverFits(ResourceFitTest.job().cpusPerTask(64).build()).isEmpty());
        var problem = core.neverFits(ResourceFitTest.job().cpusPerTask(65).build()).orElseThrow();
        assertEquals("spec.cpusPerTask", problem.field());
        assertEquals("asks 65 CPUs per task; the largest node has 64", problem.message());
        assertEquals("spec.nodelist", core.neverFits(ResourceFitTest.job().nodelist(List.of("elsewhere")).build())
                .orElseThrow().field());
    }
}
