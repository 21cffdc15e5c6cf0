package dev.cadre.cli.slurm;

import java.time.Instant;

/**
 * When and where the head expects a pending job to start (GET /api/jobs/starts), as squeue's START_TIME and
 * SCHEDNODES and scontrol's StartTime and SchedNodeList show it.
 *
 * @param hosts the planned hosts as a compressed host list; null when the plan names none
 */
public record ExpectedStart(Instant start, String hosts) {
}
