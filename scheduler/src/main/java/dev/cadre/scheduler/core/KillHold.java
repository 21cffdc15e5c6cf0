package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import java.time.Instant;

/**
 * Slots a node keeps taken for an attempt that ended for the head while the node may still be killing it (see
 * {@link LingeringAttempts}). sinfo, the REST API and the status page count them as allocated: the cores are no
 * more free than a running job's, and a job waiting for them must not wait beside a node shown idle.
 *
 * @param slots what the attempt holds there; a node's whole capacity when that is not known
 * @param since when the head began to hold them
 */
public record KillHold(long jobId, int attempt, Allocation.NodeSlots slots, Instant since) {
}
