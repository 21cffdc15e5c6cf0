package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.NodeCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A place-job carries the head's node timeout, from which its nodes derive how long the agents of the attempt's
 * remote commands may stay silent: a first placement, and one a restarted head (here with another timeout) sends
 * again.
 */
class PlaceJobNodeTimeoutTest {
    private static List<Long> nodeTimeouts(List<NodeCommand> sent) {
        return sent.stream().filter(NodeCommand.PlaceJob.class::isInstance).map(NodeCommand.PlaceJob.class::cast)
                .map(NodeCommand.PlaceJob::nodeTimeoutMillis).toList();
    }

    @Test
    void thePlaceJobCarriesTheHeadsNodeTimeout() {
        CoreScenario head = new CoreScenario(SchedulerSettings.defaults(Duration.ofSeconds(300)));
        head.node("n1", 2);
        long id = head.submit(CoreScenario.spec());
        head.schedule();
        assertEquals(List.of(300_000L), nodeTimeouts(head.sent));

        CoreScenario restarted = new CoreScenario(SchedulerSettings.defaults(Duration.ofSeconds(90)));
        restarted.apply(restarted.core.recover(List.of(head.stored.get(id)), head.core.nodes(), id));
        assertEquals(List.of(90_000L), nodeTimeouts(restarted.sent), "the restarted head's own");
    }
}
