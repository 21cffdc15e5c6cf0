package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job side of advance reservations through bin/cadre against 'cadre up' with one node: sinfo -T lists the
 * reservations in Slurm's layout; scontrol update JobId= ReservationName= moves a job out of a reservation and into
 * one, refusing a name the head has not in Slurm's words; a job still waiting in a reservation that is deleted is held
 * with Slurm's words for why ("Reservation NAME was deleted"), across a restart of the head, until its user releases
 * it; it then runs outside any reservation. One deleted with Flags=NO_HOLD_JOBS_AFTER lets its job run at once.
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
        CadreCommands.Result unknown = cadre.run("scontrol", "update", "JobId=" + job, "ReservationName=nope");
        assertEquals(1, unknown.exit());
        assertEquals("slurm_update error: Requested reservation is invalid for job " + job + "\nslurm_update error:"
                + " reservation: no reservation is named nope\n", unknown.err());
        // A held job, which no move lets run.
        String held = cadre.ok("sbatch", "--parsable", "-H", "-t", "1", "--wrap", "true").out().trim();
        cadre.ok("scontrol", "update", "Res=later", "JobId=" + held);
        assertEquals("later", cadre.ok("squeue", "-h", "-j", held, "-o", "%v").out().trim(), "moved in");
        cadre.ok("scontrol", "update", "jobid=" + held, "Res=");
        assertEquals("(null)", cadre.ok("squeue", "-h", "-j", held, "-o", "%v").out().trim(), "taken out");
        cadre.ok("scancel", held);
        cadre.ok("scontrol", "delete", "reservation", "later");
        CadreCommands.await("job " + job + " to be held for its deleted reservation", WAIT, () -> reason(cadre, job)
                .equals("Reservation later was deleted"));
        assertEquals("(null) (Reservation later was deleted)", cadre.ok("squeue", "-h", "-j", job, "-o", "%v %R")
                .out().trim(), "it left the reservation, and squeue says why as Slurm's does");
        assertTrue(cadre.ok("scontrol", "show", "job", job).out().contains(
                "JobState=PENDING Reason=Reservation_later_was_deleted "), "scontrol's Reason=, spaces as '_'");

        cadre.stop();
        cadre.up("--cores", "2");
        assertEquals("PENDING Reservation later was deleted", cadre.ok("squeue", "-h", "-j", job, "-o", "%T %r")
                .out().trim(), "the hold is stored");
        cadre.ok("scontrol", "release", job);
        cadre.awaitState(Long.parseLong(job), "COMPLETED", WAIT);

        cadre.ok("scontrol", "create", "reservation", "ReservationName=loose", "StartTime=now+10minutes",
                "Duration=10", "Nodes=" + host, "Users=" + me, "Flags=NO_HOLD_JOBS_AFTER");
        assertTrue(cadre.ok("scontrol", "show", "reservation", "loose").out().contains(
                "Flags=SPEC_NODES,NO_HOLD_JOBS_AFTER_END"), "Slurm's name for the flag");
        String free = cadre.ok("sbatch", "--parsable", "--reservation=loose", "-t", "1", "--wrap", "true").out()
                .trim();
        CadreCommands.await("job " + free + " to wait for its reservation", WAIT, () -> reason(cadre, free)
                .equals("Reservation"));
        cadre.ok("scontrol", "delete", "reservation", "loose");
        cadre.awaitState(Long.parseLong(free), "COMPLETED", WAIT);
    }

    private static String reason(CadreProcess cadre, String job) {
        try {
            return cadre.ok("squeue", "-h", "-j", job, "-o", "%r").out().trim();
        } catch (Exception e) {
            return "";
        }
    }
}
