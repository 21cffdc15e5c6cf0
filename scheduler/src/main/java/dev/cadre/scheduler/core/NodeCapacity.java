package dev.cadre.scheduler.core;

/** A node's total resources, as it reported them. */
public record NodeCapacity(String nodeId, String hostname, int cores, long memoryMb, int gpus) {
}
