package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Advance reservations through bin/cadre against 'cadre up' with one node: scontrol create reservation makes a
 * maintenance window that keeps off a job whose time limit would run into it (squeue says why) while a short job
 * runs; sbatch --reservation waits for its reservation to begin, runs in an active one, and is refused for one the
 * head has not; scontrol show, update and delete reservation in Slurm's words and layout; deleting the window lets
 * the kept job start. A DAILY reservation of nodes the head chose (NodeCnt=) moves on a day once it ends and keeps
 * off a job whose limit reaches the next day's, while a shorter one runs; an update adds a user and takes the
 * recurrence away.
 */
class ReservationSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");

    @Test
    void aMaintenanceWindowKeepsALongJobOffAndAJobInAReservationRunsThere() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String me = System.getProperty("user.name");
        String host = cadre.ok("sinfo", "-h", "-o", "%N").out().trim();
        assertEquals(new CadreProcess.Result(0, "No reservations in the system\n", ""),
                cadre.run("scontrol", "show", "reservation"));

        assertEquals("Reservation created: maint\n", cadre.ok("scontrol", "create", "reservation",
                "ReservationName=maint", "StartTime=now+5minutes", "Duration=60", "Nodes=" + host, "Users=" + me,
                "Flags=MAINT").out());
        String shown = cadre.ok("scontrol", "show", "reservation", "maint").out();
        assertTrue(shown.matches("ReservationName=maint StartTime=\\S+ EndTime=\\S+ Duration=01:00:00\n"
                + "   Nodes=" + host + " NodeCnt=1 CoreCnt=2 Features=\\(null\\) PartitionName=\\(null\\)"
                + " Flags=MAINT,SPEC_NODES\n   TRES=cpu=2\n   Users=" + me + " Groups=\\(null\\) Accounts=\\(null\\)"
                + " Licenses=\\(null\\) State=INACTIVE BurstBuffer=\\(null\\)\n   MaxStartDelay=\\(null\\)\n\n"),
                shown);

        long kept = Long.parseLong(cadre.ok("sbatch", "--parsable", "-t", "10", "--wrap", "sleep 30").out().trim());
        long brief = Long.parseLong(cadre.ok("sbatch", "--parsable", "-t", "1", "--wrap", "true").out().trim());
        long waiting = Long.parseLong(cadre.ok("sbatch", "--parsable", "--reservation=maint", "-t", "1", "--wrap",
                "true").out().trim());
        cadre.awaitState(brief, "COMPLETED", WAIT);
        CadreCommands.await("job " + kept + " kept off for maintenance", WAIT, () -> reason(cadre, kept)
                .equals("ReqNodeNotAvail, Reserved for maintenance"));
        assertEquals("Reservation", reason(cadre, waiting));

        assertEquals(new CadreProcess.Result(1, "", "sbatch: error: Batch job submission failed: Requested"
                + " reservation is invalid\nsbatch: error: spec.reservation: no reservation is named nope\n"),
                cadre.run("sbatch", "--reservation=nope", "--wrap", "true"));
        assertEquals("Reservation created: day\n", cadre.ok("scontrol", "create", "res", "ReservationName=day",
                "StartTime=now", "Duration=10", "Nodes=" + host, "Users=" + me).out());
        CadreProcess.Result overlap = cadre.run("scontrol", "create", "res", "ReservationName=other",
                "StartTime=now+1minute", "Duration=5", "Nodes=" + host, "Users=" + me);
        assertEquals(1, overlap.exit(), overlap.toString());
        assertTrue(overlap.err().startsWith("Error creating the reservation: Requested reservation overlaps with"
                + " another reservation (reservation day holds"), overlap.err());
        assertEquals(new CadreProcess.Result(1, "", "Error creating the reservation: Invalid node name specified"
                + " (nosuchhost is no node)\n"), cadre.run("scontrol", "create", "res", "ReservationName=other",
                "StartTime=now", "Duration=5", "Nodes=nosuchhost", "Users=" + me));
        long inside = Long.parseLong(cadre.ok("sbatch", "--parsable", "--reservation=day", "-t", "1", "--wrap",
                "echo in-day").out().trim());
        cadre.awaitState(inside, "COMPLETED", WAIT);
        assertEquals(host, cadre.ok("sacct", "-X", "-n", "-P", "-j", Long.toString(inside), "-o", "NodeList").out()
                .trim());

        assertEquals("Reservation updated.\n", cadre.ok("scontrol", "update", "ReservationName=day", "Duration=20")
                .out());
        assertTrue(cadre.ok("scontrol", "show", "res", "day").out().contains(" Duration=00:20:00\n"));
        assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scontrol", "delete", "ReservationName=day"));
        CadreProcess.Result gone = cadre.run("scontrol", "delete", "ReservationName=day");
        assertEquals(1, gone.exit());
        assertTrue(gone.err().startsWith("delete_reservation ReservationName=day: Requested reservation is invalid"),
                gone.err());
        assertEquals(new CadreProcess.Result(1, "Reservation day not found\n", ""),
                cadre.run("scontrol", "show", "reservation", "day"));

        cadre.ok("scancel", Long.toString(waiting));
        cadre.ok("scontrol", "delete", "reservation", "maint");
        cadre.awaitState(kept, "RUNNING", WAIT);
        cadre.ok("scancel", Long.toString(kept));
    }

    @Test
    void aDailyReservationOfCountedNodesMovesOnADayWhenItEnds() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String me = System.getProperty("user.name");
        String host = cadre.ok("sinfo", "-h", "-o", "%N").out().trim();
        assertEquals("Reservation created: nightly\n", cadre.ok("scontrol", "create", "reservation",
                "ReservationName=nightly", "StartTime=now", "EndTime=now+5seconds", "NodeCnt=1", "Users=" + me,
                "Flags=DAILY").out());
        String first = cadre.ok("scontrol", "show", "reservation", "nightly").out();
        assertTrue(first.contains("\n   Nodes=" + host + " NodeCnt=1 CoreCnt=2 Features=(null) PartitionName=(null)"
                + " Flags=DAILY\n"), first);
        LocalDateTime start = startOf(first);
        CadreCommands.await("nightly moved on to its next occurrence", WAIT, () -> !startOf(shown(cadre, "nightly"))
                .equals(start));
        String next = shown(cadre, "nightly");
        assertEquals(start.plusDays(1), startOf(next), next);
        assertTrue(next.contains(" Duration=00:00:05\n") && next.contains(" State=INACTIVE "), next);

        // Tomorrow's occurrence begins less than a day from now: a day's limit reaches it, 23 hours do not.
        long reaches = Long.parseLong(cadre.ok("sbatch", "--parsable", "-t", "1-0", "--wrap", "sleep 30").out()
                .trim());
        long fits = Long.parseLong(cadre.ok("sbatch", "--parsable", "-t", "23:00:00", "--wrap", "true").out().trim());
        cadre.awaitState(fits, "COMPLETED", WAIT);
        assertEquals("PENDING", cadre.ok("squeue", "-h", "-j", Long.toString(reaches), "-o", "%T").out().trim());

        CadreProcess.Result busy = cadre.run("scontrol", "create", "res", "ReservationName=two",
                "StartTime=now+1day", "Duration=1", "NodeCnt=2", "Users=" + me);
        assertEquals(1, busy.exit(), busy.toString());
        assertTrue(busy.err().startsWith("Error creating the reservation: Requested nodes are busy (no 2 nodes are"),
                busy.err());
        assertEquals("Reservation updated.\n", cadre.ok("scontrol", "update", "ReservationName=nightly",
                "Users+=bob", "Flags-=DAILY").out());
        String changed = cadre.ok("scontrol", "show", "reservation", "nightly").out();
        assertTrue(changed.contains(" Flags=\n") && changed.contains("   Users=" + me + ",bob "), changed);
        cadre.ok("scontrol", "delete", "reservation", "nightly");
        cadre.awaitState(reaches, "RUNNING", WAIT);
        cadre.ok("scancel", Long.toString(reaches));
    }

    private static String shown(CadreProcess cadre, String name) {
        try {
            return cadre.ok("scontrol", "show", "reservation", name).out();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static LocalDateTime startOf(String shown) {
        Matcher m = Pattern.compile("StartTime=(\\S+)").matcher(shown);
        assertTrue(m.find(), shown);
        return LocalDateTime.parse(m.group(1));
    }

    private static String reason(CadreProcess cadre, long id) {
        try {
            return cadre.ok("squeue", "-h", "-j", Long.toString(id), "-o", "%r").out().trim();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
