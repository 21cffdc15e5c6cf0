package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sbatch --mail-type through bin/cadre: 'cadre up --mail-prog' runs a mail program (a script that writes down how
 * it was called) for the ends the jobs asked to hear of, with Slurm's subjects, and sbatch refuses a type Slurm
 * does not know.
 */
class JobMailSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void endAndFailAreMailedToTheMailUserThroughTheHeadsMailProgram() throws Exception {
        Path base = Files.createTempDirectory("cadre-up-JobMailSystemIT");
        Path log = base.resolve("mail.log");
        Path program = base.resolve("mail.sh");
        Files.writeString(program, "#!/bin/sh\nbody=$(cat)\nprintf '%s|%s|%s|%s\\n' \"$1\" \"$2\" \"$3\" \"$body\" >> '"
                + log + "'\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        CadreProcess cadre = new CadreProcess(base);
        try {
            cadre.up("--cores", "2", "--mail-prog", program.toString());
            long ok = cadre.sbatch("-J", "fine", "--mail-type=END,FAIL", "--mail-user=x@example.org", "--wrap", "true");
            long bad = cadre.sbatch("-J", "broken", "--mail-type=END,FAIL", "--mail-user=x@example.org", "--wrap",
                    "exit 3");
            long begun = cadre.sbatch("-J", "begun", "--mail-type=BEGIN", "--wrap", "true");
            CadreProcess.Result refused = cadre.run("sbatch", "--mail-type=sometimes", "--wrap", "true");
            assertEquals(1, refused.exit(), refused.toString());
            assertEquals("sbatch: error: Invalid --mail-type specification\n", refused.err());
            cadre.awaitState(ok, "COMPLETED", WAIT);
            cadre.awaitState(bad, "FAILED", WAIT);
            cadre.awaitState(begun, "COMPLETED", WAIT);
            CadreProcess.await("three mails in " + log, WAIT, () -> CadreProcess.read(log).lines().count() >= 3);
            List<String> mails = CadreProcess.read(log).lines().sorted().toList();
            String user = System.getProperty("user.name");
            assertEquals(3, mails.size(), mails.toString());
            assertTrue(mails.get(0).matches("-s\\|Slurm Job_id=" + ok + " Name=fine Ended, Run time \\d\\d:\\d\\d:\\d\\d,"
                    + " COMPLETED, ExitCode 0\\|x@example\\.org\\|"), mails.toString());
            assertTrue(mails.get(1).matches("-s\\|Slurm Job_id=" + bad + " Name=broken Failed, Run time"
                    + " \\d\\d:\\d\\d:\\d\\d, FAILED, ExitCode 3\\|x@example\\.org\\|"), mails.toString());
            assertTrue(mails.get(2).matches("-s\\|Slurm Job_id=" + begun + " Name=begun Began, Queued time"
                    + " \\d\\d:\\d\\d:\\d\\d\\|" + java.util.regex.Pattern.quote(user) + "\\|"), mails.toString());
            String shown = cadre.ok("scontrol", "show", "job", "" + bad).out();
            assertTrue(shown.contains("\n   MailUser=x@example.org MailType=END,FAIL\n"), shown);
        } finally {
            cadre.stop();
            CadreProcess.deleteTree(base);
        }
    }
}
