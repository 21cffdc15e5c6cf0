package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The processes whose memory counts as the job's on a node: a remote command's own, never the wrapper Cadre runs
 * it under, on the first node (MemoryWatch) as on the others (CommandMemoryWatch), which both take
 * {@link MemoryWatch.RemoteCommands#pids}. Before, the first node counted each srun task's wrapper too, and after a
 * runner restart both counted the wrappers of the commands in cgroups it adopted. Real processes, tracked by session
 * and by cgroup.
 */
class CommandMemoryPidsIntegrationTest extends NodeTestCase {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killStarted() {
        started.forEach(Process::destroyForcibly);
    }

    private ExecSessions sessions(AttemptCgroups cgroups, HeldAttempts held) throws Exception {
        return new ExecSessions(new ExecRecords(state.resolve("exec")), held, Duration.ofSeconds(1), cgroups);
    }

    private HeldAttempts holdingJob5() throws Exception {
        HeldAttempts held = new HeldAttempts("n2", new ExecRecords(state.resolve("exec")));
        held.hold(node.place(5, "true"));
        return held;
    }

    /** Starts job 5's command, a rank in the background, and returns the rank's pid. */
    private long startRank(ExecSessions sessions) throws Exception {
        List<ExecMessage> replies = new CopyOnWriteArrayList<>();
        sessions.start(new ExecMessage.ExecRequest("r1", 5, 1, "tok", "sleep 300 & echo $! > "
                + work.resolve("rank.pid") + "; wait"), work, Map.of("PATH", System.getenv("PATH")), replies::add);
        return node.awaitPid("rank.pid");
    }

    /** What job 5's commands have counted as its own: the rank, and none of the wrappers. */
    private static void onlyTheRankCounts(ExecSessions sessions, long rank, Set<Long> wrappers) throws Exception {
        await("the rank among the command's processes", NodeUnderTest.WAIT, () -> sessions.pids(5, 1).contains(rank));
        List<Long> counted = sessions.pids(5, 1);
        assertTrue(counted.stream().noneMatch(wrappers::contains),
                "a wrapper counted as the job's: " + counted + ", wrappers " + wrappers);
        assertTrue(sessions.processes(5, 1).stream().anyMatch(p -> p.pids().stream().anyMatch(wrappers::contains)),
                "the wrapper is among the command's processes");
    }

    private void theCommandCountsAndItsWrapperDoesNot(AttemptCgroups cgroups) throws Exception {
        HeldAttempts held = holdingJob5();
        ExecSessions sessions = sessions(cgroups, held);
        try {
            long rank = startRank(sessions);
            Set<Long> wrappers = sessions.wrappers(5, 1);
            assertFalse(wrappers.isEmpty(), "the command runs under a wrapper");
            onlyTheRankCounts(sessions, rank, wrappers);
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

    /** The runner that started the command goes (as with kill -9) and the next adopts it. */
    private void afterARestartTheWrapperStillDoesNotCount(AttemptCgroups cgroups) throws Exception {
        HeldAttempts held = holdingJob5();
        ExecSessions first = sessions(cgroups, held);
        ExecSessions restarted = sessions(cgroups, held);
        try {
            long rank = startRank(first);
            Set<Long> wrappers = first.wrappers(5, 1);
            assertEquals(1, wrappers.size());
            first.close();
            assertEquals(1, restarted.adopt((request, record, wrapperRuns) -> { }));
            assertEquals(wrappers, restarted.wrappers(5, 1), "the adopted command's wrapper is known as such");
            onlyTheRankCounts(restarted, rank, wrappers);
        } finally {
            held.release(5, 1);
            restarted.killAttempt(5, 1).get(NodeUnderTest.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            first.close();
            restarted.close();
        }
    }

    @Test
    void adoptedTrackedBySession() throws Exception {
        afterARestartTheWrapperStillDoesNotCount(null);
    }

    @Test
    void adoptedTrackedByCgroup() throws Exception {
        afterARestartTheWrapperStillDoesNotCount(node.cgroups());
    }

    /**
     * Through the first node's MemoryWatch, which counts the attempt's remote commands here with its own processes:
     * a process of 300 MiB that the commands name as a wrapper leaves job 1 (100 MiB asked for) running to its end,
     * while job 2, whose commands then hold the same process as their own, is killed for it. Before, a MemoryWatch that
     * took the commands' processes in full would have killed both.
     */
    @Test
    void theFirstNodesMemoryWatchLeavesTheCommandsWrappersOut() throws Exception {
        Process big = new ProcessBuilder("setsid", "perl", "-e", "$x = \"x\" x (150 * 1024 * 1024); sleep 300")
                .start();
        started.add(big);
        await("the 300 MiB resident", NodeUnderTest.WAIT, () -> ResidentMemory.of(List.of(big.pid()), 0)
                > 250L * 1024 * 1024);
        JobProcesses session = new JobProcesses.Session(JobProcesses.Leader.identify(big.pid()));
        AtomicInteger checksOfJob1 = new AtomicInteger();
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT);
        s.joinRemoteExec(new MemoryWatch.RemoteCommands() {
            @Override
            public List<JobProcesses> processes(long jobId, int attempt) {
                if (jobId == 1) {
                    checksOfJob1.incrementAndGet();
                }
                return List.of(session);
            }

            @Override
            public Set<Long> wrappers(long jobId, int attempt) {
                return jobId == 1 ? Set.of(big.pid()) : Set.of();
            }
        }, new AgentFailures(new HeldAttempts("n1", new ExecRecords(state.resolve("exec")))));
        s.launch(node.place(1, node.untilReleased(), node.spec().memoryMb(100L)));
        await("three checks of job 1, or its end", NodeUnderTest.WAIT, () -> checksOfJob1.get() >= 3
                || node.events.stream().anyMatch(e -> e instanceof RunnerEvent.RunnerFinished f && f.jobId() == 1));
        node.release();
        RunnerEvent.RunnerFinished f = node.finished(1);
        assertNull(f.killedFor(), String.valueOf(f));
        assertEquals(0, f.exitCode(), String.valueOf(f));
        s.launch(node.place(2, "sleep 60", node.spec().memoryMb(100L)));
        assertEquals(JobState.OUT_OF_MEMORY, node.finished(2).killedFor(), "the process counts as a command's");
    }
}
