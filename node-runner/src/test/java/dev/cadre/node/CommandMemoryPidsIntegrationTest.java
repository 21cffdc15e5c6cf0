package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The processes whose memory counts as the job's on a node: a remote command's own, never the wrapper Cadre runs
 * it under, on the first node (MemoryWatch) as on the others (CommandMemoryWatch), which both take
 * {@link MemoryWatch.RemoteCommands#pids}. Before, the first node counted each srun task's wrapper too. Real
 * processes, tracked by session and by cgroup.
 */
class CommandMemoryPidsIntegrationTest extends NodeTestCase {

    private void theCommandCountsAndItsWrapperDoesNot(AttemptCgroups cgroups) throws Exception {
        HeldAttempts held = new HeldAttempts("n2", new ExecRecords(state.resolve("exec")));
        held.hold(node.place(5, "true"));
        ExecSessions sessions = new ExecSessions(new ExecRecords(state.resolve("exec")), held, Duration.ofSeconds(1),
                cgroups);
        List<ExecMessage> replies = new CopyOnWriteArrayList<>();
        try {
            sessions.start(new ExecMessage.ExecRequest("r1", 5, 1, "tok", "sleep 300 & echo $! > "
                    + work.resolve("rank.pid") + "; wait"), work, Map.of("PATH", System.getenv("PATH")),
                    replies::add);
            node.awaitFile("rank.pid");
            long rank = Long.parseLong(Files.readString(work.resolve("rank.pid")).strip());
            Set<Long> wrappers = sessions.wrappers(5, 1);
            assertFalse(wrappers.isEmpty(), "the command runs under a wrapper");
            await("the rank among the command's processes", NodeUnderTest.WAIT,
                    () -> sessions.pids(5, 1).contains(rank));
            List<Long> counted = sessions.pids(5, 1);
            assertTrue(counted.stream().noneMatch(wrappers::contains),
                    "a wrapper counted as the job's: " + counted + ", wrappers " + wrappers);
            assertTrue(sessions.processes(5, 1).stream().anyMatch(p -> p.pids().stream()
                    .anyMatch(wrappers::contains)), "the wrapper is among the command's processes");
        } finally {
            held.release(5, 1);
            sessions.killAttempt(5, 1).get(NodeUnderTest.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            sessions.close();
        }
    }

    @Test
    void trackedBySession() throws Exception {
        theCommandCountsAndItsWrapperDoesNot(null);
    }

    @Test
    void trackedByCgroup() throws Exception {
        theCommandCountsAndItsWrapperDoesNot(node.cgroups());
    }
}
