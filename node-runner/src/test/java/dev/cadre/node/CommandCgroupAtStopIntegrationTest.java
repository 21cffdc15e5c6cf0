package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a node-runner's stop does with its remote commands' cgroups ({@code JOB-ATTEMPT-exec-N}): it removes the
 * empty ones (NodeRunner.stop: {@link AttemptCgroups#removeEmpty}) but those of commands whose agents are still to
 * be told their exits. A command that ended as the runner stopped, its exit not sent, has such an empty cgroup:
 * removed, the next runner knew nothing of the command and told its agent so (exit 255, 'does not know this
 * command'), where it now tells the exit the command's wrapper recorded, and removes the cgroup with the attempt.
 * A command's shell, unlike an attempt's wrapper, cannot be caught before it joins its cgroup: its start returns
 * only once it has joined, and the stop waits for the exec service's starts. Real processes in the machine's
 * cgroup2 hierarchy.
 */
class CommandCgroupAtStopIntegrationTest extends NodeTestCase {
    private AttemptCgroups cgroups;
    private HeldAttempts held;

    /** After the node's: attempt 5.1 is held here, for a job another node coordinates. */
    @BeforeEach
    void holdAttempt() throws Exception {
        cgroups = node.cgroups();
        held = new HeldAttempts("n2", records());
        held.hold(node.place(5, "true"));
    }

    private ExecRecords records() throws Exception {
        return new ExecRecords(state.resolve("exec"));
    }

    private ExecSessions sessions() throws Exception {
        return new ExecSessions(records(), held, Duration.ofSeconds(1), cgroups);
    }

    /** The node-runner's stop once its exec service is closed: the cgroups it leaves, no attempt's among them. */
    private void stopCleanUp() throws Exception {
        cgroups.removeEmpty(attempt -> false, records()::leavesForNextStart);
    }

    /** Starts a command of attempt 5.1 that exits with {@code exit} once {@link #ending} is called. */
    private ExecRun startUntilEnded(ExecSessions sessions, String requestId, int exit, List<ExecMessage> replies)
            throws Exception {
        return sessions.start(new ExecMessage.ExecRequest(requestId, 5, 1, "tok", "until [ -f " + work.resolve("end")
                + " ]; do sleep 0.05; done; exit " + exit), work, Map.of("PATH", System.getenv("PATH")), replies::add);
    }

    /**
     * Ends the commands started, and waits for the run's wrapper to be gone. The wrapper lets go of the named pipes
     * of the command's output only once something reads them, which here, the run's runner stopped, is the test: as
     * if the wrapper had ended while its runner still read, just before the stop, its exit not yet sent.
     */
    private void ending(ExecRun run) throws Exception {
        Files.writeString(work.resolve("end"), "");
        List<OutputPump> readers = new CopyOnWriteArrayList<>();
        for (String stream : List.of(CommandWrapper.STDOUT, CommandWrapper.STDERR)) {
            Path pipe = state.resolve("exec").resolve(cgroupOf(run).getFileName() + stream);
            // The wrapper makes and opens it after its start returned; a reader before that would find it ended.
            await("the wrapper holding its " + stream + " pipe", NodeUnderTest.WAIT, () -> holds(run.pid(), pipe));
            readers.add(OutputPump.start(null, pipe, chunk -> { }, "test-reader"));
        }
        await("the command's end", NodeUnderTest.WAIT, () -> !RemoteCommandIntegrationTest.running(run.pid()));
        readers.forEach(r -> r.drained().join());
    }

    /** Whether the process has the file open. */
    static boolean holds(long pid, Path file) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    private static Path cgroupOf(ExecRun run) {
        return assertInstanceOf(JobProcesses.Cgroup.class, run.processes()).dir();
    }

    /** Starts u1, which exits 7, and stops its runner before it does. */
    private Path endedAsItsRunnerStopped() throws Exception {
        List<ExecMessage> replies = new CopyOnWriteArrayList<>();
        ExecSessions first = sessions();
        ExecRun run = startUntilEnded(first, "u1", 7, replies);
        first.close(); // the stop: from here on nothing of this runner reports the command's end
        ending(run);
        assertTrue(replies.stream().noneMatch(r -> r instanceof ExecMessage.ExecExit), "its exit went out: "
                + replies);
        stopCleanUp();
        return cgroupOf(run);
    }

    /** Attempt 5.1 ends while no runner runs; the next one starts: nothing of the command is left. */
    private void nextStartAfterItsAttemptEnded(Path cgroup) throws Exception {
        held.release(5, 1);
        ExecSessions next = sessions();
        next.adopt((request, record, wrapperRuns) -> { });
        next.killUnheld();
        await("the cgroup's removal", NodeUnderTest.WAIT, () -> !Files.exists(cgroup));
        await("the command's records' removal", NodeUnderTest.WAIT, () -> recordsOf(cgroup).isEmpty());
        next.close();
    }

    private List<Path> recordsOf(Path cgroup) {
        try (Stream<Path> files = Files.list(state.resolve("exec"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(cgroup.getFileName() + ".")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theNextRunnerTellsTheExitOfACommandThatEndedAsTheRunnerStoppedAndRemovesItsCgroupWithTheAttempt()
            throws Exception {
        Path recordless = cgroups.createExec(5, 1); // a command's that nobody is to be told of
        Path cgroup = endedAsItsRunnerStopped();
        assertTrue(Files.isDirectory(cgroup), "the stop removed the cgroup of a command whose exit was not sent");
        assertFalse(Files.exists(recordless), "the stop left an empty cgroup of a command with no request recorded");

        ExecSessions next = sessions();
        assertEquals(1, next.adopt((request, record, wrapperRuns) -> { }));
        assertTrue(next.adopted("u1").isEmpty(), "its wrapper recorded its end");
        assertEquals(7, next.exitTold("u1").orElseThrow(() -> new AssertionError("nothing to tell u1's agent"))
                .exitCode());

        held.release(5, 1);
        next.killAttempt(5, 1).get(NodeUnderTest.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(Files.exists(cgroup), "the cgroup outlived its attempt");
        assertEquals(List.of(), recordsOf(cgroup), "the command's records outlived its attempt");
        next.close();
    }

    @Test
    void theCgroupKeptForTheNextRunnerGoesAtItsStartWhenItsAttemptEndedMeanwhile() throws Exception {
        Path cgroup = endedAsItsRunnerStopped();
        assertTrue(Files.isDirectory(cgroup), "the stop removed the cgroup of a command whose exit was not sent");
        nextStartAfterItsAttemptEnded(cgroup);
    }

    @Test
    void aCommandsShellIsInItsCgroupOnceItsStartReturnsSoNoStopCanRemoveItFirst() throws Exception {
        ExecSessions sessions = sessions();
        ExecRun run = startUntilEnded(sessions, "u2", 3, new CopyOnWriteArrayList<>());
        Path cgroup = cgroupOf(run);
        assertTrue(AttemptCgroups.members(cgroup).contains(run.pid()), "the start returned before the shell joined");
        sessions.close();
        cgroups.removeEmpty(attempt -> false, command -> false); // not even kept for its record
        assertTrue(Files.isDirectory(cgroup), "the stop removed the cgroup of a running command");
        ending(run);
        nextStartAfterItsAttemptEnded(cgroup);
    }
}
