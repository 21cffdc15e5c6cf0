package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobSpecValidator.Problem;
import dev.cadre.protocol.RejectionCode;

/**
 * Why a valid submission is refused all the same, as its job-rejected says it: the code a client branches on (the
 * nodes could never hold it, a host it names is no node, its dependency names no job), and the field at fault.
 */
public record Refusal(RejectionCode code, Problem problem) {
}
