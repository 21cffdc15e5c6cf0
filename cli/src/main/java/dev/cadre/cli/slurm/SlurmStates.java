package dev.cadre.cli.slurm;

import java.util.Set;

/** Slurm's job state names beyond Cadre's own states: valid in filters, though no Cadre job is ever in one. */
final class SlurmStates {
    /** What squeue lists after "Valid job states include: ". */
    static final String VALID_JOB_STATES = "PENDING,RUNNING,SUSPENDED,COMPLETED,CANCELLED,FAILED,TIMEOUT,"
            + "NODE_FAIL,PREEMPTED,BOOT_FAIL,DEADLINE,OUT_OF_MEMORY,COMPLETING,CONFIGURING,RESIZING,REVOKED,"
            + "SPECIAL_EXIT";
    /**
     * Upper-case names and compact codes of the states Cadre has not got; those it has (OUT_OF_MEMORY/OOM,
     * DEADLINE/DL, ...) its JobState names.
     */
    static final Set<String> OTHER_JOB_STATES = Set.of("PREEMPTED", "PR", "BOOT_FAIL", "BF", "CONFIGURING", "CF",
            "RESIZING", "RS", "REVOKED", "RV", "SPECIAL_EXIT", "SE", "REQUEUE_FED", "RF", "REQUEUE_HOLD", "RH",
            "STOPPED", "ST", "SIGNALING", "SI", "STAGE_OUT", "SO", "RESV_DEL_HOLD", "RD", "POWER_UP_NODE", "PU",
            "UPDATE_DB", "UD");

    private SlurmStates() {
    }
}
