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
     * @param nodes a Slurm host list of node host names, or ALL for every node the head knows
     * @param users who may run jobs in it, at least one
     * @param flags of {@link AdvanceReservation#REQUESTABLE}; null or empty for none
     */
    record CreateReservation(String name, Instant startTime, Instant endTime, Long durationSeconds, String nodes,
            List<String> users, List<String> flags, String user, boolean operator) implements ReservationRequest {
        public CreateReservation {
            users = users == null ? null : NullKeepingCopies.of(users);
            flags = flags == null ? null : NullKeepingCopies.of(flags);
        }
    }

    /**
     * scontrol update ReservationName=X: each field given replaces the reservation's own; null keeps it. A
     * durationSeconds ends it that long after its (new or kept) start; endTime and durationSeconds together must
     * agree.
     */
    record UpdateReservation(String name, Instant startTime, Instant endTime, Long durationSeconds, String nodes,
            List<String> users, String user, boolean operator) implements ReservationRequest {
        public UpdateReservation {
            users = users == null ? null : NullKeepingCopies.of(users);
        }

        /** Whether it names anything to change. */
        public boolean changesAnything() {
            return startTime != null || endTime != null || durationSeconds != null || nodes != null || users != null;
        }
    }

    /** scontrol delete ReservationName=X: refused while a job runs in it, as slurmctld refuses it. */
    record DeleteReservation(String name, String user, boolean operator) implements ReservationRequest {
    }
}
