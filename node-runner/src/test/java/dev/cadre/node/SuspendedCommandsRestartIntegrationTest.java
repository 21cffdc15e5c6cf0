package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static dev.cadre.node.RemoteCommandIntegrationTest.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * scontrol suspend of a job whose remote commands (an mpirun's daemons, srun's tasks) run on a node that does not
 * coordinate it, on real processes over the embedded broker: the node stops them, and a node-runner killed with
 * SIGKILL and started again meanwhile still knows they are suspended. They stay stopped, a resume continues them, and
 * a kill continues them after its SIGTERM, which a stopped process would otherwise take only as the SIGKILL after
 * the grace period. Each test runs with the node tracking processes by cgroup where it can (AUTO), and by session.
 */
class SuspendedCommandsRestartIntegrationTest extends CrashingFollowerCase {
    private static final long JOB = CrashingFollower.JOB;
    /** The counting command's agent's outcome, and the command's pid. */
    private CompletableFuture<String> outcome;
    private long command;

    /**
     * Counts in a file, a step every 50 ms, until {@code done}; on SIGTERM it notes it and exits 5. Writes nothing
     * once started (bash's "Terminated" for its sleep): nothing here reads it.
     */
    private String counting() {
        Path counter = work.resolve("counter");
        return "exec > /dev/null 2>&1; trap 'echo term > " + work.resolve("termed") + "; exit 5' TERM; n=0;"
                + " while [ ! -f " + work.resolve("done") + " ]; do n=$((n+1)); echo $n > " + counter + ".new; mv "
                + counter + ".new " + counter + "; sleep 0.05; done";
    }

    private long count() {
        try {
            return Long.parseLong(Files.readString(work.resolve("counter")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1; // not written yet
        }
    }

    /** Waits until the count is three steps past what it was. */
    private void advances(String why) throws InterruptedException {
        long from = Math.max(0, count());
        await(why, WAIT, () -> count() >= from + 3);
    }

    /** Whether the process is stopped (T in /proc/PID/stat). */
    private static boolean stopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (IOException e) {
            return false;
        }
    }

    /** The count stands still for a second and the command is stopped, not gone. */
    private void standsStill(String why) throws InterruptedException {
        long was = count();
        Instant until = Instant.now().plusSeconds(1);
        await("the clock", WAIT, () -> Instant.now().isAfter(until) || count() != was);
        assertEquals(was, count(), why);
        assertTrue(stopped(command), why + ": the command is not stopped");
    }

    /** Runs the command, and suspends the job on the node once it counts; returns once it is stopped. */
    private void runAndSuspend(String nodeId) throws Exception {
        outcome = node.runWaiting(nodeId, "counting", counting());
        command = node.commands.get(0);
        advances("the command to count");
        node.send(nodeId, new NodeCommand.SuspendAttempt(JOB, 1));
        await("the command to be stopped", WAIT, () -> stopped(command));
        standsStill("suspended");
    }

    /** Runs and suspends the command under a runner, kills that with SIGKILL; the next runner's node id. */
    private String suspendThenRestart(ProcessTracking.Mode tracking) throws Exception {
        follower(tracking);
        runAndSuspend(node.start());
        node.crash();
        String nodeId = node.restart().nodeId();
        standsStill("still suspended under the next runner");
        return nodeId;
    }

    /** Kills the job on the node; returns once its command is gone, having run its trap for SIGTERM. */
    private void killAndAwaitItsTrap(String nodeId) throws Exception {
        node.send(nodeId, new NodeCommand.KillJob(JOB, 1, JobState.CANCELLED));
        await("the command to be killed", WAIT, () -> !running(command));
        assertTrue(Files.exists(work.resolve("termed")), "SIGTERM reached the command, continued after it");
    }

    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void suspendedCommandsStayStoppedAcrossARestartAndGoOnOnceResumed(ProcessTracking.Mode tracking)
            throws Exception {
        String nodeId = suspendThenRestart(tracking);
        node.send(nodeId, new NodeCommand.ResumeAttempt(JOB, 1, null));
        advances("the command to count again once resumed");
        Files.writeString(work.resolve("done"), "");
        assertEquals("0", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void aKillOfTheSuspendedJobAfterARestartContinuesItsCommandsAfterTheirSigterm(ProcessTracking.Mode tracking)
            throws Exception {
        killAndAwaitItsTrap(suspendThenRestart(tracking));
    }

    /** The same without a restart: a stopped command takes its SIGTERM only once continued. */
    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void aKillOfTheSuspendedJobContinuesItsCommandsAfterTheirSigterm(ProcessTracking.Mode tracking)
            throws Exception {
        follower(tracking);
        String nodeId = node.restart().nodeId();
        runAndSuspend(nodeId);
        killAndAwaitItsTrap(nodeId);
        assertEquals("5", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
}
