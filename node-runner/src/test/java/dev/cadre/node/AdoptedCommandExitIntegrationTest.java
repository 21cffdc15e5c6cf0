package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static dev.cadre.node.RemoteCommandIntegrationTest.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.ProcessTracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exit status of a remote command that a node-runner killed with SIGKILL left running, and the next runner on
 * the node adopted, reaches the command's agent: the command's wrapper recorded it. Only a command whose status
 * really is unknown (its wrapper was killed too) is answered with exit 255 and "restarted while the command ran".
 * Each test runs with the node tracking processes by cgroup where it can (AUTO), and by session.
 */
class AdoptedCommandExitIntegrationTest extends CrashingFollowerCase {
    private NodeRunner restarted;

    private void restart() throws Exception {
        restarted = node.restart();
    }

    private CompletableFuture<String> runWaiting(String nodeId, String name, String command) throws Exception {
        return node.runWaiting(nodeId, name, command);
    }

    private String untilDone(int exit) {
        return "while [ ! -f " + work.resolve("done") + " ]; do sleep 0.05; done; exit " + exit;
    }

    /** The agent's outcome of the command, which a runner started and was then killed under. */
    private record Crashed(String nodeId, CompletableFuture<String> outcome) {
    }

    private Crashed runThenCrash(ProcessTracking.Mode tracking, String command) throws Exception {
        follower(tracking);
        String nodeId = node.start();
        CompletableFuture<String> outcome = runWaiting(nodeId, "adopted", command);
        node.crash();
        return new Crashed(nodeId, outcome);
    }

    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void theAgentGetsTheExitStatusOfACommandThatEndsUnderTheNextRunner(ProcessTracking.Mode tracking)
            throws Exception {
        CompletableFuture<String> outcome = runThenCrash(tracking, untilDone(7)).outcome();
        restart();
        assertThrows(java.util.concurrent.TimeoutException.class, () -> outcome.get(
                UnknownRequests.UNKNOWN_FOR.toMillis() + 2000, TimeUnit.MILLISECONDS), "answered while it ran");
        assertTrue(running(node.commands.get(0)), "the adopted command runs on");
        Files.writeString(work.resolve("done"), "");
        assertEquals("7", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void theAgentGetsTheExitStatusOfACommandThatEndedWhileNoRunnerRan(ProcessTracking.Mode tracking)
            throws Exception {
        CompletableFuture<String> outcome = runThenCrash(tracking, untilDone(7)).outcome();
        Files.writeString(work.resolve("done"), "");
        await("the command's end", WAIT, () -> !running(node.commands.get(0)));
        restart();
        assertEquals("7", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    /**
     * The restarted runner's next command of the attempt does not take over the records of the one that ended while
     * no runner ran (as its cgroup's name, were that reused), so the ended command's agent is told its status while
     * the next one runs.
     */
    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void theNextCommandOfTheAttemptLeavesTheEndedOnesStatusAlone(ProcessTracking.Mode tracking) throws Exception {
        CompletableFuture<String> outcome = runThenCrash(tracking, untilDone(7)).outcome();
        Files.writeString(work.resolve("done"), "");
        await("the command's end", WAIT, () -> !running(node.commands.get(0)));
        Files.delete(work.resolve("done"));
        restart();
        CompletableFuture<String> next = runWaiting(restarted.nodeId(), "next", untilDone(42));
        assertEquals("7", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(running(node.commands.get(1)), "answered while the next command runs");
        Files.writeString(work.resolve("done"), "");
        assertEquals("42", next.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    /** Its wrapper killed with SIGKILL, nothing recorded the command's status: the agent hears that it is lost. */
    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void aCommandWhoseStatusIsLostIsAnsweredSo(ProcessTracking.Mode tracking) throws Exception {
        Path wrapperGone = work.resolve("wrapper-gone");
        Crashed crashed = runThenCrash(tracking, "while [ ! -f " + work.resolve("kill-wrapper")
                + " ]; do sleep 0.05; done; kill -9 $PPID; touch " + wrapperGone + "; " + untilDone(7));
        Files.writeString(work.resolve("kill-wrapper"), "");
        await("the wrapper's kill", WAIT, () -> Files.exists(wrapperGone));
        restart();
        Files.writeString(work.resolve("done"), "");
        String answer = crashed.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(answer.startsWith("255 ") && answer.contains("the node-runner on " + crashed.nodeId()
                + " restarted while the command ran"), answer);
    }
}
