package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attempts a restarted node-runner finds with a claim or status file that holds no record: written short on a full
 * file system by a wrapper that did not check its writes, or damaged. Each is reported failed, naming the file,
 * and forgotten; it used to throw, be logged, and stay unreported on every start.
 */
class DamagedAttemptIntegrationTest extends NodeTestCase {

    /** An attempt directory as a runner leaves it, with the given files written into it. */
    private AttemptDirectory leftover(long id, Map<String, String> files) throws IOException {
        AttemptDirectory dir = AttemptDirectory.create(Files.createDirectories(state.resolve("jobs")),
                node.place(id, "exit 0")).orElseThrow();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(dir.dir().resolve(file.getKey()), file.getValue());
        }
        return dir;
    }

    /** A pid no process can have: one above the system's highest. */
    private static String noProcess() throws IOException {
        return (Long.parseLong(Files.readString(Path.of("/proc/sys/kernel/pid_max")).strip()) + 1) + "\n";
    }

    @Test
    void aClaimWithoutAPidIsReportedFailedNamingItAndForgotten() throws Exception {
        AttemptDirectory empty = leftover(1, Map.of(AttemptDirectory.CLAIM, ""));
        AttemptDirectory garbled = leftover(2, Map.of(AttemptDirectory.CLAIM, "12ab\n",
                AttemptDirectory.STATUS, "0 0 0\n"));
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT);
        s.adoptLeftovers(adopted -> { });
        assertEquals("the node-runner restarted and cannot find the job: " + empty.claimFile()
                + " holds nothing, not a wrapper's pid", node.failed(1).error());
        assertEquals("the node-runner restarted and cannot find the job: " + garbled.claimFile()
                + " holds '12ab?', not a wrapper's pid", node.failed(2).error());
        assertForgotten(s, empty, garbled);
    }

    @Test
    void aStatusWithoutAnExitStatusIsReportedFailedNamingItAndForgotten() throws Exception {
        AttemptDirectory empty = leftover(3, Map.of(AttemptDirectory.CLAIM, noProcess(),
                AttemptDirectory.STATUS, ""));
        AttemptDirectory garbled = leftover(4, Map.of(AttemptDirectory.CLAIM, noProcess(),
                AttemptDirectory.STATUS, "1 \u00ff\n"));
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT);
        s.adoptLeftovers(adopted -> { });
        assertEquals("the job's end is unknown: " + empty.statusFile() + " holds nothing, not an exit status",
                node.failed(3).error());
        assertEquals("the job's end is unknown: " + garbled.statusFile() + " holds '1 \u00ff?', not an exit status",
                node.failed(4).error());
        assertForgotten(s, empty, garbled);
    }

    private void assertForgotten(JobSupervisor s, AttemptDirectory... dirs) throws InterruptedException {
        await("the attempts to be forgotten", NodeUnderTest.WAIT, () -> s.running().isEmpty()
                && List.of(dirs).stream().noneMatch(d -> Files.exists(d.dir())));
        assertTrue(node.events.stream().allMatch(e -> e instanceof RunnerEvent.RunnerFailed), node.events.toString());
    }
}
