package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The node's cgroup directory removed under a running node-runner (an operator's, or a tidy-up's, rmdir of empty
 * cgroups) is made again at the next launch or remote command, which then runs: it no longer fails every job sent to
 * a node that looks idle. Real cgroups in the machine's cgroup2 hierarchy.
 */
class RemovedNodeCgroupIntegrationTest extends NodeTestCase {
    @Test
    void aJobRunsAfterTheNodesDirectoryWasRemoved() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT, cgroups);
        Files.delete(cgroups.nodeGroup());
        s.launch(node.place(1, "touch ran"));
        RunnerEvent.RunnerFinished f = node.finished(1);
        assertEquals(0, f.exitCode());
        assertNull(f.killedFor());
        assertTrue(Files.exists(work.resolve("ran")));
        assertFalse(Files.exists(cgroups.attempt(1, 1)));
    }

    @Test
    void aRemoteCommandRunsAfterTheNodesDirectoryWasRemoved() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        HeldAttempts held = new HeldAttempts("n2", new ExecRecords(state.resolve("exec")));
        held.hold(node.place(5, "true"));
        ExecSessions sessions = new ExecSessions(new ExecRecords(state.resolve("exec")), held, Duration.ofSeconds(1),
                cgroups);
        Files.delete(cgroups.nodeGroup());
        List<ExecMessage> replies = new CopyOnWriteArrayList<>();
        sessions.start(new ExecMessage.ExecRequest("r1", 5, 1, "tok", "exit 3"), work,
                Map.of("PATH", System.getenv("PATH")), replies::add);
        JobSupervisorIntegrationTest.await("the command's exit", NodeUnderTest.WAIT, () -> replies.stream()
                .anyMatch(r -> r instanceof ExecMessage.ExecExit));
        assertEquals(3, replies.stream().filter(r -> r instanceof ExecMessage.ExecExit)
                .map(ExecMessage.ExecExit.class::cast).findFirst().orElseThrow().exitCode());
        sessions.close();
    }
}
