package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The jobs of advance reservations through bin/cadre against 'cadre up' with one node, as Slurm shows them: squeue
 * -R lists only a reservation's jobs and %v prints each job's, scontrol show job has its Reservation= line, srun
 * outside a job runs in the reservation it names or is refused one the head has not, in srun's words, and sinfo and
 * scontrol show node name a node in an active reservation resv (IDLE+RESERVED), in a maintenance window maint.
 */
class ReservationJobsSystemIT {
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");

    @Test
    void squeueAndScontrolShowAJobsReservationAndSrunRunsInOne() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String me = System.getProperty("user.name");
        String host = cadre.ok("sinfo", "-h", "-o", "%N").out().trim();
        cadre.ok("scontrol", "create", "reservation", "ReservationName=later", "StartTime=now+10minutes",
                "Duration=10", "Nodes=" + host, "Users=" + me);
        long waiting = Long.parseLong(cadre.ok("sbatch", "--parsable", "--reservation=later", "-t", "1", "--wrap",
                "true").out().trim());
        long held = Long.parseLong(cadre.ok("sbatch", "--parsable", "-H", "-t", "1", "--wrap", "true").out().trim());

        assertEquals(waiting + " later\n", cadre.ok("squeue", "-h", "-R", "later", "-o", "%i %v").out());
        assertEquals("", cadre.ok("squeue", "-h", "--reservation=other", "-o", "%i").out());
        assertEquals(held + " (null)\n", cadre.ok("squeue", "-h", "-j", Long.toString(held), "-O",
                "jobid:8,reservation:8").out().replaceAll(" +", " ").replaceAll(" \n", "\n"));
        String shown = cadre.ok("scontrol", "show", "job", Long.toString(waiting)).out();
        assertTrue(shown.contains(" MinTmpDiskNode=0\n   Reservation=later\n   OverSubscribe="), shown);
        assertTrue(!cadre.ok("scontrol", "show", "job", Long.toString(held)).out().contains("Reservation="));

        CadreProcess.Result refused = cadre.run("srun", "--reservation=nope", "-t", "1", "true");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().startsWith("srun: error: Unable to allocate resources: Requested reservation is"
                + " invalid\n"), refused.err());
        cadre.ok("scontrol", "create", "reservation", "ReservationName=now", "StartTime=now", "Duration=5",
                "Nodes=" + host, "Users=" + me);
        assertEquals(new CadreProcess.Result(0, "in-now\n", ""), cadre.run("srun", "--reservation=now", "-t", "1",
                "-J", "in-now", "echo", "in-now"));
        assertEquals("now\n", cadre.ok("squeue", "-h", "-t", "all", "-n", "in-now", "-o", "%v").out());

        assertEquals("resv\n", cadre.ok("sinfo", "-h", "-o", "%t").out());
        assertTrue(cadre.ok("scontrol", "show", "node", host).out().contains("\n   State=IDLE+RESERVED "));
        cadre.ok("scontrol", "create", "reservation", "ReservationName=fix", "StartTime=now", "Duration=5",
                "Nodes=" + host, "Users=root", "Flags=MAINT");
        assertEquals("maint " + host + "\n", cadre.ok("sinfo", "-h", "-t", "maint", "-o", "%t %N").out());
        assertTrue(cadre.ok("scontrol", "show", "node", host).out()
                .contains("\n   State=IDLE+MAINTENANCE+RESERVED "));
        cadre.ok("scontrol", "delete", "reservation", "fix");

        cadre.ok("scancel", Long.toString(waiting), Long.toString(held));
        cadre.ok("scontrol", "delete", "reservation", "later");
        cadre.ok("scontrol", "delete", "reservation", "now");
    }
}
