package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * scontrol show job of an array through bin/cadre against 'cadre up', each command its own process: every record
 * of the array as Slurm's scontrol prints them (the array's own with its pending tasks first, then its started
 * task), one line each with -o, a pending task named alone shown as that task, Slurm's texts and exit codes for bad
 * and unknown ids, and the MailUser= line only for a job mailed for something.
 */
class ScontrolShowArraySystemIT {
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "4");

    @Test
    void anArraysRecordsAreShownAsSlurmShowsThem() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String user = System.getProperty("user.name");
        long array = cadre.sbatch("-J", "shown", "--array=1-4%1", "--mail-type=END", "--wrap", "sleep 300");
        CadreProcess.await("task 1 of " + array + " to run", Duration.ofSeconds(60), () -> running(cadre,
                array + "_1"));
        long task = Long.parseLong(cadre.ok("squeue", "-h", "-j", array + "_1", "-o", "%A").out().trim());

        String shown = cadre.ok("scontrol", "show", "job", "" + array).out();
        String[] records = shown.split("\n\n");
        assertEquals(2, records.length, shown);
        assertTrue(records[0].startsWith("JobId=" + array + " ArrayJobId=" + array
                + " ArrayTaskId=2-4 ArrayTaskThrottle=1 JobName=shown\n"), shown);
        assertTrue(records[1].startsWith("JobId=" + task + " ArrayJobId=" + array
                + " ArrayTaskId=1 ArrayTaskThrottle=1 JobName=shown\n"), shown);
        for (String record : records) {
            assertTrue(record.contains("\n   MailUser=" + user + " MailType=END\n"), record);
        }
        List<String> lines = cadre.ok("scontrol", "-o", "show", "job", "" + array).out().lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("JobId=" + task + " ArrayJobId=" + array + " ArrayTaskId=1 "), lines
                .toString());

        String third = cadre.ok("scontrol", "show", "job", array + "_3").out();
        assertTrue(third.startsWith("JobId=" + array + " ArrayJobId=" + array + " ArrayTaskId=3 "), third);
        assertEquals(1, third.split("\n\n").length, third);

        assertEquals(new CadreProcess.Result(1, "Job " + array + "_9 not found\n", ""), cadre.run("scontrol",
                "show", "job", array + "_9"));
        for (String bad : List.of(array + "_x", array + "_[")) {
            assertEquals(new CadreProcess.Result(1, "", "scontrol_print_job error: Invalid job id specified\n"),
                    cadre.run("scontrol", "show", "job", bad), bad);
        }
        assertEquals(new CadreProcess.Result(1, "", "slurm_load_jobs error: Invalid job id specified\n"),
                cadre.run("scontrol", "show", "job", "987654321"));

        long plain = cadre.sbatch("-J", "plain", "-H", "--wrap", "true");
        String plainShown = cadre.ok("scontrol", "show", "job", "" + plain).out();
        assertTrue(plainShown.startsWith("JobId=" + plain + " JobName=plain\n"), plainShown);
        assertFalse(plainShown.contains("MailUser="), "no mail type, no mail line: " + plainShown);

        cadre.ok("scancel", "" + array, "" + plain);
    }

    private static boolean running(CadreProcess cadre, String task) {
        try {
            return cadre.ok("squeue", "-h", "-t", "R", "-j", task, "-o", "%i").out().trim().equals(task);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
