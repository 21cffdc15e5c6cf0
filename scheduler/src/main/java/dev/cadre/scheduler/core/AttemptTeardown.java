package dev.cadre.scheduler.core;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.time.Clock;
import java.util.List;

/**
 * The kill-jobs that go with an attempt's end to nodes that may still run it: whatever the coordinator's script
 * started elsewhere, or the whole attempt after a node failure. The nodes' slots stay taken until each confirms
 * ({@link LingeringAttempts}).
 */
final class AttemptTeardown {
    private final Clock clock;
    private final LingeringAttempts lingering;

    AttemptTeardown(Clock clock, LingeringAttempts lingering) {
        this.clock = clock;
        this.lingering = lingering;
    }

    /** Kill-job for the attempt to its coordinator, whose script may still run. */
    Decisions withCoordinatorKilled(Decisions d, JobRecord j) {
        if (j.allocation() != null) {
            killOn(d, j, List.of(j.allocation().coordinator().nodeId()));
        }
        return d;
    }

    /** Kill-job for the attempt to the allocation's other nodes, and to the coordinator too if asked. */
    void tearDown(Decisions d, JobRecord j, boolean coordinatorToo) {
        if (j.allocation() == null) {
            return;
        }
        List<String> nodes = j.allocation().nodeIds();
        killOn(d, j, coordinatorToo ? nodes : nodes.subList(1, nodes.size()));
    }

    /** The nodes' slots stay taken until each confirms the kill: the job's processes may outlive its end. */
    private void killOn(Decisions d, JobRecord j, List<String> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        for (String node : nodes) {
            d.send(kill(j, node));
        }
        lingering.killedOn(j, nodes, clock.instant());
    }

    private static Outgoing kill(JobRecord j, String nodeId) {
        return new Outgoing(Destinations.nodeQueue(nodeId),
                new NodeCommand.KillJob(j.id(), j.attempt(), JobState.NODE_FAIL));
    }
}
