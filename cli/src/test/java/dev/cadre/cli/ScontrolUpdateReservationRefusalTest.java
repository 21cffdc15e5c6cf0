package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The head's refusals of scontrol update JobId= ReservationName=, in the words slurmctld's _update_job answers with
 * (slurm_strerror of ESLURM_JOB_NOT_PENDING_NOR_RUNNING, ESLURM_RESERVATION_ACCESS, ESLURM_RESERVATION_INVALID).
 */
class ScontrolUpdateReservationRefusalTest {
    @Test
    void eachRefusalHasSlurmsWords() {
        assertEquals("Job is not pending nor running", ScontrolUpdateCommand.reservationRefusal("reservation: job 7"
                + " is SUSPENDED; only a pending or running job changes its reservation"));
        assertEquals("Access denied to requested reservation", ScontrolUpdateCommand.reservationRefusal(
                "reservation: reservation maint does not admit user bob"));
        assertEquals("Requested reservation is invalid", ScontrolUpdateCommand.reservationRefusal(
                "reservation: no reservation is named nope"));
        assertEquals("Requested reservation is invalid", ScontrolUpdateCommand.reservationRefusal(
                "reservation: is 'a b'; it must be 1 to 63 letters, digits, '_', '.' or '-', starting with a letter"
                        + " or digit"));
    }
}
