package dev.cadre.node;

import static dev.cadre.node.CgroupTrackingIntegrationTest.gone;
import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cgroups the node finds rather than makes: those of attempts an earlier runner left, and those of remote commands,
 * whose daemons outlive the command. Real processes in the machine's cgroup2 hierarchy.
 */
class CgroupLeftoversIntegrationTest extends NodeTestCase {
    private final List<Process> started = new ArrayList<>();
    private final List<Long> escaped = new ArrayList<>();

    @AfterEach
    void killStarted() {
        started.forEach(Process::destroyForcibly);
        escaped.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** A process in the cgroup from its start, as an attempt's would be. */
    private Process sleeperIn(Path cgroup) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec sleep 300")
                .start();
        started.add(p);
        await("the sleeper in " + cgroup, NodeUnderTest.WAIT, () -> AttemptCgroups.members(cgroup).contains(p.pid()));
        return p;
    }

    @Test
    void aStartRemovesTheEmptyCgroupsOfUnknownAttemptsAndKillsWhatIsInTheOthers() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        Path empty = Files.createDirectory(cgroups.attempt(98, 1));
        Path populated = Files.createDirectory(cgroups.attempt(99, 1));
        Process left = sleeperIn(populated);
        node.supervisor(JobLauncher.Setup.DEFAULT, cgroups).adoptLeftovers(place -> { });
        assertFalse(Files.exists(empty), "an empty cgroup of no attempt is removed");
        assertTrue(left.waitFor(NodeUnderTest.WAIT.toMillis(), TimeUnit.MILLISECONDS), "its process is killed");
        await("the killed attempt's cgroup removed", NodeUnderTest.WAIT, () -> !Files.exists(populated));
    }

    private ExecSessions sessions(AttemptCgroups cgroups, HeldAttempts held) throws Exception {
        return new ExecSessions(new ExecRecords(state.resolve("exec")), held, Duration.ofSeconds(1), cgroups);
    }

    /** What this node (n2) holds of job 5, which n1 coordinates: its commands may run here. */
    private HeldAttempts holdingJob5() throws Exception {
        HeldAttempts held = new HeldAttempts("n2", new ExecRecords(state.resolve("exec")));
        held.hold(node.place(5, "true"));
        return held;
    }

    /** Runs a remote command of job 5 that leaves a daemon outside its session, and returns the daemon's pid. */
    private long runLeavingADaemon(ExecSessions sessions) throws Exception {
        List<ExecMessage> replies = new CopyOnWriteArrayList<>();
        sessions.start(new ExecMessage.ExecRequest("r1", 5, 1, "tok",
                "setsid -f sh -c 'echo $$ > " + work.resolve("exec-daemon.pid")
                        + "; exec sleep 300' > /dev/null 2>&1; echo hi"),
                work, Map.of("PATH", System.getenv("PATH")), replies::add);
        await("the command's exit", NodeUnderTest.WAIT, () -> replies.stream()
                .anyMatch(r -> r instanceof ExecMessage.ExecExit));
        long daemon = node.awaitPid("exec-daemon.pid");
        escaped.add(daemon);
        assertEquals(0, replies.stream().filter(r -> r instanceof ExecMessage.ExecExit)
                .map(ExecMessage.ExecExit.class::cast).findFirst().orElseThrow().exitCode());
        assertFalse(gone(daemon), "the daemon outlived its command");
        return daemon;
    }

    private static List<Path> execGroups(AttemptCgroups cgroups) {
        try {
            return cgroups.list().stream().filter(f -> f.name().isExec()).map(AttemptCgroups.Found::dir).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void whatARemoteCommandLeftOutsideItsSessionDiesWithItsAttempt() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        HeldAttempts held = holdingJob5();
        ExecSessions sessions = sessions(cgroups, held);
        long daemon = runLeavingADaemon(sessions);
        assertEquals(1, execGroups(cgroups).size());
        held.release(5, 1);
        sessions.killAttempt(5, 1).get(NodeUnderTest.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(gone(daemon), "the daemon is killed with its attempt");
        assertEquals(List.of(), execGroups(cgroups));
        sessions.close();
    }

    @Test
    void aRestartedRunnerKillsWhatARemoteCommandOfAnAttemptNoLongerHeldLeft() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        long daemon = runLeavingADaemon(sessions(cgroups, holdingJob5()));
        // The runner was killed: the next one holds nothing of job 5 and finds the command's cgroup.
        ExecSessions restarted = sessions(cgroups, new HeldAttempts("n2", new ExecRecords(state.resolve("exec"))));
        assertEquals(1, restarted.adopt((request, record, wrapperRuns) -> { }));
        restarted.killUnheld();
        await("the daemon killed", NodeUnderTest.WAIT, () -> gone(daemon));
        await("its cgroup removed", NodeUnderTest.WAIT, () -> execGroups(cgroups).isEmpty());
        restarted.close();
    }

    @Test
    void aRunnerRestartedToTrackBySessionKillsWhatItsCgroupsStillHold() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        Process attempt = sleeperIn(Files.createDirectory(cgroups.attempt(97, 1)));
        Process command = sleeperIn(cgroups.createExec(5, 1));
        AttemptCgroups former = AttemptCgroups.former(state).orElseThrow();
        assertEquals(cgroups.nodeGroup(), former.nodeGroup());

        JobSupervisor bySession = node.supervisor(JobLauncher.Setup.DEFAULT, null);
        bySession.searchFormerCgroups(former);
        bySession.adoptLeftovers(place -> { });
        ExecSessions sessions = new ExecSessions(new ExecRecords(state.resolve("exec")), new HeldAttempts("n2",
                new ExecRecords(state.resolve("exec"))), Duration.ofSeconds(1), null, former);
        assertEquals(1, sessions.adopt((request, record, wrapperRuns) -> { }), "the command's cgroup is found");
        sessions.killUnheld();
        assertTrue(attempt.waitFor(NodeUnderTest.WAIT.toMillis(), TimeUnit.MILLISECONDS), "the attempt's is killed");
        assertTrue(command.waitFor(NodeUnderTest.WAIT.toMillis(), TimeUnit.MILLISECONDS), "the command's is killed");
        await("their cgroups removed", NodeUnderTest.WAIT, () -> !Files.exists(cgroups.attempt(97, 1))
                && execGroups(cgroups).isEmpty());
        sessions.close();
    }
}
