package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * scontrol update MailType= MailUser= of a running job through bin/cadre: stored, shown by scontrol show job before
 * and after a restart of the head, a wrong value refused changing nothing, and the job's end mailed to the new
 * recipient through the head's mail program.
 */
class ScontrolMailUpdateSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aRunningJobsNewMailFieldsAreStoredShownAndFollowed() throws Exception {
        Path base = Files.createTempDirectory("cadre-up-ScontrolMailUpdateSystemIT");
        Path log = base.resolve("mail.log");
        Path program = base.resolve("mail.sh");
        Files.writeString(program, "#!/bin/sh\nprintf '%s|%s|%s\\n' \"$1\" \"$2\" \"$3\" >> '" + log + "'\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        CadreProcess cadre = new CadreProcess(base);
        try {
            cadre.up("--cores", "2", "--mail-prog", program.toString());
            String id = cadre.ok("sbatch", "--parsable", "-J", "long", "-t", "60", "--mail-type=FAIL",
                    "--mail-user=x@example.org", "--wrap", "sleep 600").out().trim();
            cadre.awaitState(Long.parseLong(id), "RUNNING", WAIT);
            assertTrue(mailLine(cadre, id).equals("MailUser=x@example.org MailType=FAIL"), mailLine(cadre, id));

            cadre.ok("scontrol", "update", "JobId=" + id, "MailType=END,TIME_LIMIT_50", "MailUser=y@example.org");
            assertEquals("MailUser=y@example.org MailType=END,TIME_LIMIT_50", mailLine(cadre, id));

            CadreProcess.Result type = cadre.run("scontrol", "update", "JobId=" + id, "MailType=NOON");
            assertEquals(1, type.exit(), type.toString());
            assertEquals("Invalid MailType: NOON\n", type.err());
            CadreProcess.Result user = cadre.run("scontrol", "update", "JobId=" + id, "MailUser=-oQ/tmp/x");
            assertEquals(1, user.exit(), user.toString());
            assertTrue(user.err().contains("mailUser: must be a mail address"), user.err());
            assertEquals("MailUser=y@example.org MailType=END,TIME_LIMIT_50", mailLine(cadre, id), "nothing changed");

            cadre.stop();
            cadre.up("--cores", "2", "--mail-prog", program.toString());
            assertEquals("MailUser=y@example.org MailType=END,TIME_LIMIT_50", mailLine(cadre, id),
                    "kept in the stored spec");

            cadre.ok("scancel", id);
            cadre.awaitState(Long.parseLong(id), "CANCELLED", WAIT);
            CadreProcess.await("the end's mail in " + log, WAIT, () -> Files.exists(log)
                    && CadreProcess.read(log).contains("Ended"));
            String mailed = CadreProcess.read(log).strip();
            assertTrue(mailed.matches("-s\\|Slurm Job_id=" + id + " Name=long Ended, Run time \\S+, CANCELLED,"
                    + " ExitCode 0\\|y@example\\.org"), mailed);
        } finally {
            cadre.stop();
            CadreProcess.deleteTree(base);
        }
    }

    private static String mailLine(CadreProcess cadre, String id) throws Exception {
        String shown = cadre.ok("scontrol", "show", "job", id).out();
        return shown.lines().map(String::strip).filter(l -> l.startsWith("MailUser=")).findFirst().orElse(shown);
    }
}
