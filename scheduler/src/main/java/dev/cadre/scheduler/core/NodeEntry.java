package dev.cadre.scheduler.core;

import dev.cadre.protocol.GpuTypes;
import dev.cadre.protocol.NodeRecord;
import java.time.Instant;

/**
 * The core's view of a node.
 *
 * @param deadlineBase when the node was last heard from, or when the scheduler started if that is later:
 *        a restarted head gives every node a full timeout to report again
 */
record NodeEntry(NodeRecord record, Instant deadlineBase) {
    boolean up() {
        return record.state() == NodeRecord.NodeState.UP;
    }

    /** An administrator took the node out of service: it takes no new jobs, whether up or down. */
    boolean drained() {
        return record.drain() != null;
    }

    NodeCapacity capacity() {
        return new NodeCapacity(record.id(), record.hostname(), record.cores(), record.memoryMb(), record.gpus(),
                GpuTypes.counts(record.gpuTypes()));
    }
}
