package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a reservation request changed nothing, as a stable wire name a client branches on (REST: the HTTP status),
 * with the text of Slurm's error number for it, which scontrol prints after "Error creating the reservation: ".
 */
public enum ReservationRefusal {
    /** Not an operator (ESLURM_ACCESS_DENIED). */
    ACCESS_DENIED("access-denied", "Access/permission denied"),
    /** A field is missing, malformed or contradicts another; the reason names it (ESLURM_RESERVATION_INVALID). */
    INVALID_FIELD("invalid-field", "Requested reservation is invalid"),
    /** No reservation has the name (ESLURM_RESERVATION_INVALID, as slurmctld answers an unknown name). */
    NOT_FOUND("not-found", "Requested reservation is invalid"),
    /** A start more than 10 minutes past, or an end before the start (ESLURM_INVALID_TIME_VALUE). */
    INVALID_TIME("invalid-time", "Invalid time specified"),
    /** A host that is no node (ESLURM_INVALID_NODE_NAME). */
    INVALID_NODE("invalid-node", "Invalid node name specified"),
    /** No user given (ESLURM_RESERVATION_EMPTY). */
    NO_USERS("no-users", "Reservation request lacks users, groups or accounts"),
    /** Another reservation has the name (ESLURM_RESERVATION_NAME_DUP). */
    DUPLICATE_NAME("duplicate-name", "Duplicate reservation name"),
    /** Its nodes are another's at the same time, neither with Flags=OVERLAP or MAINT (ESLURM_RESERVATION_OVERLAP). */
    OVERLAP("overlap", "Requested reservation overlaps with another reservation"),
    /** A job on its nodes would still run at its start, without Flags=IGNORE_JOBS (ESLURM_NODES_BUSY). */
    NODES_BUSY("nodes-busy", "Requested nodes are busy"),
    /**
     * A job runs in it: it is not deleted; or an update would take a job's access to it away
     * (ESLURM_RESERVATION_BUSY).
     */
    IN_USE("in-use", "Requested reservation is in use"),
    /** Two recurring flags, or a recurring flag that differs from the one it has (ESLURM_NOT_SUPPORTED). */
    NOT_SUPPORTED("not-supported", "Requested operation not supported on this system"),
    /** The scheduler failed on the request; nothing was changed. */
    INTERNAL("internal", "Unexpected message received");

    private final String wireName;
    private final String slurmText;

    ReservationRefusal(String wireName, String slurmText) {
        this.wireName = wireName;
        this.slurmText = slurmText;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** What Slurm's slurm_strerror says for it. */
    public String slurmText() {
        return slurmText;
    }
}
