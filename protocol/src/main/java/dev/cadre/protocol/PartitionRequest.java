package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * scontrol create, update and delete partition (docs/protocol.md 5.12), answered by
 * {@link ClientReply.PartitionResult}. Only an operator may send them, as only root and SlurmUser may in Slurm:
 * {@code operator} is the client's word that it is one, as for {@link ReservationRequest}; the scheduler refuses any
 * other with {@link PartitionRefusal#ACCESS_DENIED} and changes nothing.
 */
public sealed interface PartitionRequest extends ClientRequest permits PartitionRequest.CreatePartition,
        PartitionRequest.UpdatePartition, PartitionRequest.DeletePartition {

    String name();

    /** Who asks, for the head's log. */
    String user();

    boolean operator();

    /**
     * A new partition; each field null takes Slurm's default (Nodes none is refused: Cadre needs nodes or ALL).
     *
     * @param isDefault true makes it the default, taking that from the one that was
     * @param maxTimeMinutes MaxTime=; -1 for UNLIMITED
     * @param defaultTimeMinutes DefaultTime=; -1 for NONE
     */
    record CreatePartition(String name, String nodes, @JsonProperty("default") Boolean isDefault,
            Long maxTimeMinutes, Long defaultTimeMinutes, String state, String user, boolean operator)
            implements PartitionRequest {
    }

    /**
     * scontrol update PartitionName=X: each field given replaces the partition's own; null keeps it; -1 makes a
     * time UNLIMITED (MaxTime) or NONE (DefaultTime). Default=NO is refused: another must be made the default.
     */
    record UpdatePartition(String name, String nodes, @JsonProperty("default") Boolean isDefault,
            Long maxTimeMinutes, Long defaultTimeMinutes, String state, String user, boolean operator)
            implements PartitionRequest {
        /** Whether it names anything to change. */
        public boolean changesAnything() {
            return nodes != null || isDefault != null || maxTimeMinutes != null || defaultTimeMinutes != null
                    || state != null;
        }
    }

    /** scontrol delete PartitionName=X: refused for the default and while a job waits or runs in it. */
    record DeletePartition(String name, String user, boolean operator) implements PartitionRequest {
    }
}
