package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a request was refused, as a stable wire name that clients can branch on; the reason text explains. */
public enum RejectionCode {
    /** Empty, not JSON, not a JSON object, duplicate keys, or not UTF-8. */
    MALFORMED("malformed"),
    /** Larger than {@link MessageCodec#MAX_BYTES}. */
    TOO_LARGE("too-large"),
    /** A map, stream or object message where JSON text (a text or bytes body) was expected. */
    WRONG_BODY("wrong-body"),
    /** No {@code type}, an unknown one, or one that is not accepted on this address. */
    UNKNOWN_TYPE("unknown-type"),
    /** A newer protocol version than this scheduler speaks. */
    UNSUPPORTED_VERSION("unsupported-version"),
    /** A field holds a value of the wrong JSON type. */
    WRONG_TYPE("wrong-type"),
    /** A field is missing, out of range, contradicts another, or names a forbidden path. */
    INVALID_FIELD("invalid-field"),
    /** A valid job the known nodes could never hold, all of them idle: too many nodes, CPUs, memory or GPUs. */
    UNSATISFIABLE("unsatisfiable"),
    /** A host the job must run on ({@code nodelist}) is no known node. */
    UNKNOWN_NODE("unknown-node"),
    /** The job's {@code dependency} names a job that does not exist (an array part's transient id is none). */
    UNKNOWN_DEPENDENCY("unknown-dependency"),
    /**
     * The job's {@code deadline} has passed, or its time limit from now would run past it: Slurm refuses it so
     * ("Requested time limit is invalid").
     */
    UNREACHABLE_DEADLINE("unreachable-deadline"),
    /** The job's {@code reservation} names none the scheduler has (Slurm: "Requested reservation is invalid"). */
    INVALID_RESERVATION("invalid-reservation"),
    /** The job's reservation does not admit its user (Slurm: "Access denied to requested reservation"). */
    RESERVATION_ACCESS("reservation-access"),
    /** The job's {@code partition} names none the scheduler has (Slurm: "Invalid partition name specified"). */
    INVALID_PARTITION("invalid-partition"),
    /**
     * The job's partition takes no new jobs, being DRAIN or INACTIVE (Slurm: "Required partition not available
     * (inactive or drain)").
     */
    PARTITION_NOT_AVAILABLE("partition-not-available");

    private final String wireName;

    RejectionCode(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
