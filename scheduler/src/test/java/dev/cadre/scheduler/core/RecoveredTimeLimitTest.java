package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A running job's new limit is stored before its set-time-limit is sent: a head killed in between must send it
 * again when it recovers, or the node enforces the old limit while everything else shows the new one.
 */
class RecoveredTimeLimitTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    @Test
    void recoveryResendsTheStoredLimitOfEveryRunningJobToItsCoordinator() {
        List.of("n1", "n2").forEach(n -> s.node(n, 1));
        long extended = s.submit(CoreScenario.spec().nodes(2).tasks(2));
        s.schedule();
        // Confirmed: recovery sends it no place-job, so only the set-time-limit can carry the new limit.
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerRunning(extended, s.job(extended).attempt(),
                s.job(extended).allocation().coordinator().nodeId(), s.clock.instant())));
        s.clock.advance(Duration.ofSeconds(60));
        // Stored; the set-time-limit this decided is lost with the head.
        s.apply(s.core.control().update(new ControlRequest.UpdateJob(extended, null, 7200L, null, null, null)).decisions());
        long unlimited = s.submit(CoreScenario.spec().timeLimitSeconds(null));
        JobRecord stored = s.job(extended);

        SchedulerCore restarted = new SchedulerCore(s.clock, PlacementPolicy.Kind.EASY, Duration.ofSeconds(30),
                (i, a) -> "t");
        Decisions d = restarted.recover(List.of(stored, s.job(unlimited)), s.core.nodes(), unlimited);

        assertEquals(List.of(new NodeCommand.SetTimeLimit(extended, stored.attempt(), 7200)),
                d.messages().stream().map(Outgoing::message).toList());
        assertEquals(Destinations.nodeQueue(stored.allocation().coordinator().nodeId()),
                d.messages().get(0).destination());
    }
}
