package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.broker.ClientFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status page in a real headless browser: Debian's Chromium driven by playwright-core (from npm, installed
 * by the build into target/browser) through src/test/browser/status-page.mjs, against 'cadre up' as its own
 * process. The script signs in with the token, submits jobs from the form and watches them go PENDING, RUNNING,
 * COMPLETED without a reload, follows their output, sees what a running job uses on its node, cancels it, sees a failure stay until dismissed,
 * sees holds and releases change a row's reason as they happen and the row of an array's part go when its tasks
 * join the array's record again (with the table's own reads held, so that only the events can do it), the part's
 * page go to that record and a task's page stay, tasks starting as records of their own get rows named 12_3,
 * filters and searches the table, reads the nodes view (a suspended job's cores counted for nothing, a drained
 * node whose only job is suspended DRAINED, cores shared after a resume counted once and the rest oversubscribed),
 * follows a task's page as the task starts (state, history, output, end, and who the cancel that ended it named),
 * sees a job killed by a signal shown as such, many failures kept to five notices and a line counting the rest,
 * reads the chart, checks the phone width, and signs out to a
 * page with nothing of the cluster left on it. Last, on the browser's own clock: a job's creation event heard after
 * a hidden tab read the job is not drawn twice, a waiting task's page does not read the task again for other jobs'
 * holds and releases, and a task's page that finds the task in a record of its own shows that record's events that
 * came during the read. Its screenshots
 * go to target/failsafe-reports/status-page/.
 */
class StatusPageBrowserIT {
    private static final Path BROWSER = CadreProcess.ROOT.resolve("cli/target/browser");
    private static final Path SCREENSHOTS = CadreProcess.ROOT.resolve("cli/target/failsafe-reports/status-page");
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");

    @Test
    void theStatusPageDoesWhatAUserDoesWithIt() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        ClientFile client = ClientFile.read(cadre.dataDir.resolve(ClientFile.CLIENT_FILE));
        Path log = cadre.dataDir.getParent().resolve("browser.log");
        ProcessBuilder pb = new ProcessBuilder("node", BROWSER.resolve("status-page.mjs").toString())
                .directory(BROWSER.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CADRE_URL", client.httpUrl());
        pb.environment().put("CADRE_TOKEN", client.token());
        pb.environment().put("WORK_DIR", cadre.workDir.toString());
        pb.environment().put("SCREENSHOTS", SCREENSHOTS.toString());
        Process p = pb.start();
        boolean ended = p.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        System.out.println(out);
        assertEquals(0, ended ? p.exitValue() : -1, "the browser scenario failed (screenshots in " + SCREENSHOTS
                + "):\n" + out);
    }
}
