package dev.cadre.cli;

import java.util.List;

/**
 * A submission the head refused, in the words sbatch, srun and salloc print: Slurm's own for a job the nodes could
 * never hold, a host that is no node, a dependency on no job, a deadline it cannot meet, or a reservation that is not
 * there or not its user's (its slurm_strerror text, which scripts and users search for), then Cadre's reason, which
 * says what asks too much; any other refusal as Cadre's reason alone.
 */
final class SubmissionRefusal {
    private SubmissionRefusal() {
    }

    /**
     * What follows "PROGRAM: error: ", a line each.
     *
     * @param failure the command's first words ("Batch job submission failed", "Unable to allocate resources")
     */
    static List<String> lines(String failure, RestClient.ClientException e) {
        String slurm = slurmReason(e.code, e.field);
        return slurm == null ? List.of(failure + ": " + e.getMessage())
                : List.of(failure + ": " + slurm, e.getMessage());
    }

    /** Slurm's text for a rejection code (protocol.md 6.4) and field, or null where it has none of its own. */
    static String slurmReason(String code, String field) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            // ESLURM_TOO_MANY_REQUESTED_NODES; the rest of what no node could hold is
            // ESLURM_REQUESTED_NODE_CONFIG_UNAVAILABLE, as slurmctld answers too many CPUs, tasks or memory.
            case "unsatisfiable" -> "spec.nodes".equals(field) ? "Node count specification invalid"
                    : "Requested node configuration is not available";
            case "unknown-node" -> "Invalid node name specified";
            case "unknown-dependency" -> "Job dependency problem";
            // ESLURM_INVALID_TIME_LIMIT, as slurmctld refuses a deadline passed or before the time limit's end.
            case "unreachable-deadline" -> "Requested time limit is invalid (missing or exceeds some limit)";
            // ESLURM_RESERVATION_INVALID and ESLURM_RESERVATION_ACCESS, as slurmctld's job_test_resv answers them.
            case "invalid-reservation" -> "Requested reservation is invalid";
            case "reservation-access" -> "Access denied to requested reservation";
            // ESLURM_INVALID_PARTITION_NAME and ESLURM_PARTITION_NOT_AVAIL, as slurmctld's _valid_job_part answers.
            case "invalid-partition" -> "Invalid partition name specified";
            case "partition-not-available" -> "Required partition not available (inactive or drain)";
            default -> null;
        };
    }
}
