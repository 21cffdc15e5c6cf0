package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a partition request changed nothing, as a stable wire name (REST: the HTTP status), with the text of Slurm's
 * error number for it, which scontrol prints after "Error creating the partition: ".
 */
public enum PartitionRefusal {
    /** Not an operator (ESLURM_ACCESS_DENIED). */
    ACCESS_DENIED("access-denied", "Access/permission denied"),
    /** A field is missing, malformed or contradicts another; the reason names it (EINVAL). */
    INVALID_FIELD("invalid-field", "Invalid argument"),
    /** No partition has the name (ESLURM_INVALID_PARTITION_NAME). */
    NOT_FOUND("not-found", "Invalid partition name specified"),
    /** Another partition has the name: slurmctld's create_part_rec refuses it the same. */
    DUPLICATE_NAME("duplicate-name", "Invalid partition name specified"),
    /** A host that is no node (ESLURM_INVALID_NODE_NAME). */
    INVALID_NODE("invalid-node", "Invalid node name specified"),
    /** Jobs wait or run in it (ESLURM_PARTITION_IN_USE), or it is the default: it is not deleted. */
    IN_USE("in-use", "Partition is in use"),
    /** The scheduler failed on the request; nothing was changed. */
    INTERNAL("internal", "Unexpected message received");

    private final String wireName;
    private final String slurmText;

    PartitionRefusal(String wireName, String slurmText) {
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
