package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * scontrol show job without an id through bin/cadre against 'cadre up', each command its own process: every job's
 * whole record, as scontrol show job ID prints it, in the order the records were made, one line each with -o, and
 * Slurm's "No jobs in the system" once none is left.
 */
class ScontrolShowEveryJobSystemIT {
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "4");

    @Test
    void everyJobIsShownWholeAsSlurmShowsThem() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String user = System.getProperty("user.name");
        Path script = cadre.workDir.resolve("job.sh");
        Files.writeString(script, "#!/bin/sh\ntrue\n");
        long scripted = cadre.sbatch("-H", "--mail-type=FAIL", script.toString());
        long array = cadre.sbatch("--array=1-2%1", "--wrap", "sleep 300");
        CadreProcess.await("task 1 of " + array + " to run", Duration.ofSeconds(60), () -> out(cadre, "squeue", "-h",
                "-t", "R", "-j", array + "_1", "-o", "%i").trim().equals(array + "_1"));
        long task = Long.parseLong(cadre.ok("squeue", "-h", "-j", array + "_1", "-o", "%A").out().trim());
        long plain = cadre.sbatch("-H", "--wrap", "true");

        String shown = cadre.ok("scontrol", "show", "job").out();
        assertEquals(List.of(scripted, array, task, plain), ScontrolOnHead.jobIds(shown), shown);
        String[] records = shown.split("\n\n");
        assertEquals(4, records.length, shown);
        assertEquals(records[0] + "\n\n", cadre.ok("scontrol", "show", "job", "" + scripted).out());
        assertTrue(records[0].contains("\n   Command=" + script + "\n"), records[0]);
        assertTrue(records[0].contains("\n   MailUser=" + user + " MailType=FAIL\n"), records[0]);
        for (String record : records) {
            assertTrue(record.contains("\n   StdIn=/dev/null\n"), "read whole: " + record);
        }
        assertTrue(records[2].startsWith("JobId=" + task + " ArrayJobId=" + array + " ArrayTaskId=1 "), shown);
        List<String> lines = cadre.ok("scontrol", "-o", "show", "job").out().lines().toList();
        assertEquals(List.of(scripted, array, task, plain), ScontrolOnHead.jobIds(String.join("\n", lines)), lines.toString());
        assertTrue(lines.get(0).contains(" Command=" + script + " "), lines.get(0));

        cadre.ok("scancel", "" + scripted, "" + array, "" + plain);
        CadreProcess.await("every job to end", Duration.ofSeconds(60), () -> out(cadre, "squeue", "-h").isEmpty());
        assertEquals(new CadreProcess.Result(0, "No jobs in the system\n", ""), cadre.run("scontrol", "show", "job"));
    }

    private static String out(CadreProcess cadre, String... args) {
        try {
            return cadre.ok(args[0], java.util.Arrays.copyOfRange(args, 1, args.length)).out();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
