package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job side of advance reservations through bin/cadre against 'cadre up' with one node: sinfo -T lists the
 * reservations in Slurm's layout, and a job still waiting in a reservation that is deleted is held with reason
 * ReservationDeleted, as slurmctld holds it, across a restart of the head, until its user releases it; it then runs
 * outside any reservation.
 */
class ReservationDeletedSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");

    @Test
    void sinfoListsReservationsAndAJobOfADeletedOneIsHeldUntilReleased() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String me = System.getProperty("user.name");
        String host = cadre.ok("sinfo", "-h", "-o", "%N").out().trim();
        assertEquals("No reservations in the system\n", cadre.ok("sinfo", "-T").out());
        cadre.ok("scontrol", "create", "reservation", "ReservationName=later", "StartTime=now+10minutes",
                "Duration=10", "Nodes=" + host, "Users=" + me);
        String[] listed = cadre.ok("sinfo", "-T").out().split("\n");
        assertEquals(2, listed.length, String.join("\n", listed));
        assertEquals("RESV_NAME     STATE           START_TIME             END_TIME     DURATION  NODELIST",
                listed[0]);
        assertTrue(listed[1].matches("later      INACTIVE  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d  \\d{4}-\\d\\d-"
                + "\\d\\dT\\d\\d:\\d\\d:\\d\\d     00:10:00  " + host.replace(".", "\\.")), listed[1]);

        String job = cadre.ok("sbatch", "--parsable", "--reservation=later", "-t", "1", "--wrap", "true").out()
                .trim();
        CadreCommands.await("job " + job + " to wait for its reservation", WAIT, () -> reason(cadre, job)
                .equals("Reservation"));
        cadre.ok("scontrol", "delete", "reservation", "later");
        CadreCommands.await("job " + job + " to be held for its deleted reservation", WAIT, () -> reason(cadre, job)
                .equals("ReservationDeleted"));
        assertEquals("(null)", cadre.ok("squeue", "-h", "-j", job, "-o", "%v").out().trim(),
                "it left the reservation");

        cadre.stop();
        cadre.up("--cores", "2");
        assertEquals("PENDING ReservationDeleted", cadre.ok("squeue", "-h", "-j", job, "-o", "%T %r").out().trim(),
                "the hold is stored");
        cadre.ok("scontrol", "release", job);
        cadre.awaitState(Long.parseLong(job), "COMPLETED", WAIT);
    }

    private static String reason(CadreProcess cadre, String job) {
        try {
            return cadre.ok("squeue", "-h", "-j", job, "-o", "%r").out().trim();
        } catch (Exception e) {
            return "";
        }
    }
}
