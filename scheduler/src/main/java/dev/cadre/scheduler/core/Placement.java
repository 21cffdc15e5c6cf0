package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;

/** A decision to start a job on the given nodes. */
public record Placement(long jobId, Allocation allocation) {
}
