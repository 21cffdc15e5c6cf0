package dev.cadre.protocol;

import java.time.Instant;
import java.util.List;

/**
 * scontrol create, update and delete reservation (docs/protocol.md 5.11), answered by
 * {@link ClientReply.ReservationResult}. Only an operator may send them, as Slurm lets only root and SlurmUser:
 * {@code operator} is the client's word that it is one (root, or the owner of the client file), as top-jobs carries
 * it; the scheduler refuses any other with {@link ReservationRefusal#ACCESS_DENIED} and changes nothing.
 */
public sealed interface ReservationRequest extends ClientRequest permits ReservationRequest.CreateReservation,
        ReservationRequest.UpdateReservation, ReservationRequest.DeleteReservation {

    /** The reservation's name. */
    String name();

    /** Who asks, for the head's log. */
    String user();

    boolean operator();

    /**
     * @param startTime when it begins; at most 10 minutes past, as slurmctld allows (MAX_RESV_DELAY)
     * @param endTime when it ends; or give durationSeconds
     * @param durationSeconds how long it lasts, from startTime; both this and endTime must agree when both are given
     * @param nodes a Slurm host list of node host names, or ALL for every node the head knows; or give nodeCount
     * @param nodeCount scontrol's NodeCnt=: how many nodes the head chooses, as slurmctld's _select_nodes; null when
     *        nodes are named
     * @param users who may run jobs in it, at least one
     * @param flags of {@link AdvanceReservation#REQUESTABLE}, at most one of {@link AdvanceReservation#RECURRING}; null
     *        or empty for none
     */
    record CreateReservation(String name, Instant startTime, Instant endTime, Long durationSeconds, String nodes,
            Integer nodeCount, List<String> users, List<String> flags, String user, boolean operator)
            implements ReservationRequest {
        public CreateReservation {
            users = users == null ? null : NullKeepingCopies.of(users);
            flags = flags == null ? null : NullKeepingCopies.of(flags);
        }

        /** One of named nodes, as before nodeCount. */
        public CreateReservation(String name, Instant startTime, Instant endTime, Long durationSeconds, String nodes,
                List<String> users, List<String> flags, String user, boolean operator) {
            this(name, startTime, endTime, durationSeconds, nodes, null, users, flags, user, operator);
        }
    }

    /**
     * scontrol update ReservationName=X: each field given replaces the reservation's own; null keeps it. A
     * durationSeconds ends it that long after its (new or kept) start; endTime and durationSeconds together must
     * agree. The add and remove fields change a list as scontrol's Users+=, Users-=, Nodes+=, Nodes-=, Flags+= (or
     * Flags=, which adds too, as slurmctld's update_resv) and Flags-= do; a list may not be replaced and changed at
     * once.
     *
     * @param addNodes a Slurm host list of nodes to add
     * @param removeNodes a Slurm host list of nodes to take out
     * @param addFlags of {@link AdvanceReservation#REQUESTABLE}; a recurring one only where it has none or the same
     * @param removeFlags of {@link AdvanceReservation#REMOVABLE}
     */
    record UpdateReservation(String name, Instant startTime, Instant endTime, Long durationSeconds, String nodes,
            List<String> users, List<String> addUsers, List<String> removeUsers, String addNodes, String removeNodes,
            List<String> addFlags, List<String> removeFlags, String user, boolean operator)
            implements ReservationRequest {
        public UpdateReservation {
            users = users == null ? null : NullKeepingCopies.of(users);
            addUsers = addUsers == null ? null : NullKeepingCopies.of(addUsers);
            removeUsers = removeUsers == null ? null : NullKeepingCopies.of(removeUsers);
            addFlags = addFlags == null ? null : NullKeepingCopies.of(addFlags);
            removeFlags = removeFlags == null ? null : NullKeepingCopies.of(removeFlags);
        }

        /** Times, nodes or users replaced, as before the add and remove fields. */
        public UpdateReservation(String name, Instant startTime, Instant endTime, Long durationSeconds, String nodes,
                List<String> users, String user, boolean operator) {
            this(name, startTime, endTime, durationSeconds, nodes, users, null, null, null, null, null, null, user,
                    operator);
        }

        /** Whether it names anything to change. */
        public boolean changesAnything() {
            return startTime != null || endTime != null || durationSeconds != null || nodes != null || users != null
                    || addUsers != null || removeUsers != null || addNodes != null || removeNodes != null
                    || addFlags != null || removeFlags != null;
        }
    }

    /** scontrol delete ReservationName=X: refused while a job runs in it, as slurmctld refuses it. */
    record DeleteReservation(String name, String user, boolean operator) implements ReservationRequest {
    }
}
