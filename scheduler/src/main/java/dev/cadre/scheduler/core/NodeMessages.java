package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.util.List;
import java.util.function.BiFunction;

/** The commands an attempt's nodes get: place-job to start it, kill-job to stop it, one per node. */
final class NodeMessages {
    private NodeMessages() {
    }

    /**
     * To every node of the allocation: the coordinator launches, the others learn the attempt and its exec
     * token, so that they run its remote commands and nothing else.
     */
    static List<Outgoing> place(JobRecord j, BiFunction<Long, Integer, String> execTokens) {
        Allocation a = j.allocation();
        ArrayPart array = j.array() == null ? null : new ArrayPart(j.array().arrayJobId(), j.array().taskId(), null);
        var place = new NodeCommand.PlaceJob(j.id(), j.attempt(), j.spec(), a, execTokens.apply(j.id(), j.attempt()),
                array);
        return a.nodeIds().stream().map(n -> new Outgoing(Destinations.nodeQueue(n), place)).toList();
    }

    /** To the coordinator, which runs the batch script: a signal for the attempt's processes. */
    static Outgoing signal(JobRecord j, String signal, boolean batchOnly) {
        return new Outgoing(Destinations.nodeQueue(j.allocation().coordinator().nodeId()),
                new NodeCommand.SignalAttempt(j.id(), j.attempt(), signal, batchOnly));
    }

    /** To every node of the allocation: each kills what the attempt started there. */
    static List<Outgoing> kill(JobRecord j, JobState endAs) {
        var kill = new NodeCommand.KillJob(j.id(), j.attempt(), endAs);
        return j.allocation().nodeIds().stream().map(n -> new Outgoing(Destinations.nodeQueue(n), kill)).toList();
    }

}
