package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static dev.cadre.node.RemoteCommandIntegrationTest.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.ProcessTracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A remote command that writes to its stdout or stderr after its node-runner was killed with SIGKILL runs on: its
 * wrapper holds the named pipes of its output open, so it never writes to a pipe without a reader (which would end
 * it by SIGPIPE), and the next runner on the node, which adopts it, relays what it writes to its agent before its
 * exit. A pipeline of the command's own still ends by SIGPIPE. Each test runs with the node tracking processes by
 * cgroup where it can (AUTO), and by session.
 */
class AdoptedCommandOutputIntegrationTest extends CrashingFollowerCase {
    private String untilDone(int exit) {
        return "while [ ! -f " + work.resolve("done") + " ]; do sleep 0.05; done; exit " + exit;
    }

    private String afterFile(String file) {
        return "while [ ! -f " + work.resolve(file) + " ]; do sleep 0.05; done; ";
    }

    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void whatACommandWritesAfterTheRestartReachesItsAgent(ProcessTracking.Mode tracking) throws Exception {
        follower(tracking);
        String nodeId = node.start();
        CompletableFuture<String> outcome = node.runWaiting(nodeId, "talker", afterFile("write")
                + "echo after-restart; echo on-stderr >&2; yes | head -n 3 > /dev/null;"
                + " echo \"pipeline ${PIPESTATUS[*]}\"; " + untilDone(7));
        node.crash();
        node.restart();
        Files.writeString(work.resolve("write"), "");
        // Its stdout and stderr come through pipes of their own: the stderr line written first may come second.
        await("the command's output after the restart", WAIT, () -> node.output("talker").contains("pipeline")
                && node.output("talker").contains("on-stderr\n") || outcome.isDone());
        assertFalse(outcome.isDone(), "the command ended: " + outcome.getNow(null));
        assertTrue(running(node.commands.get(0)), "the command runs on");
        String output = node.output("talker");
        assertTrue(output.contains("after-restart\n") && output.contains("on-stderr\n"), output);
        assertTrue(output.contains("pipeline 141 0\n"), "its own pipeline ends by SIGPIPE: " + output);
        Files.writeString(work.resolve("done"), "");
        assertEquals("7", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    /**
     * Written while no runner runs, more than its pipe holds: the command waits for the next runner, which relays all
     * of it, in order, before the command's exit.
     */
    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void whatACommandWritesWhileNoRunnerRunsWaitsForTheNext(ProcessTracking.Mode tracking) throws Exception {
        follower(tracking);
        String nodeId = node.start();
        Path writing = work.resolve("writing");
        CompletableFuture<String> outcome = node.runWaiting(nodeId, "writer", afterFile("write") + "touch "
                + writing + "; head -c 200000 /dev/zero | tr '\\0' x; echo; echo written; exit 7");
        node.crash();
        Files.writeString(work.resolve("write"), "");
        await("the command to write", WAIT, () -> Files.exists(writing));
        assertFalse(outcome.isDone(), "answered with no runner: " + outcome.getNow(null));
        node.restart();
        assertEquals("7", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("started\n" + "x".repeat(200000) + "\nwritten\n", node.output("writer"));
    }

    /**
     * Ended while no runner runs, the command's wrapper holds what it wrote in its pipes for the next runner, which
     * relays it to the agent before the exit.
     */
    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void whatACommandWroteBeforeItEndedWhileNoRunnerRanReachesItsAgent(ProcessTracking.Mode tracking)
            throws Exception {
        follower(tracking);
        String nodeId = node.start();
        CompletableFuture<String> outcome = node.runWaiting(nodeId, "ended", afterFile("end")
                + "echo while-none; echo on-stderr-while-none >&2; exit 7");
        node.crash();
        Files.writeString(work.resolve("end"), "");
        await("the command to end", WAIT, () -> !running(node.commands.get(0)));
        node.restart();
        assertEquals("7", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        String output = node.output("ended");
        assertTrue(output.contains("while-none\n") && output.contains("on-stderr-while-none\n"), output);
    }

    /**
     * Ended while no runner runs, and none comes back: the command's wrapper waits for a reader of its pipes no
     * longer than the command's silence limit (the node timeout its job was placed with and 5 s), then ends with
     * the command's status recorded. Its command line holds the command's, and a node whose runner died stays DOWN.
     */
    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void aWrapperWhoseOutputNoRunnerReadsEndsWithinItsSilenceLimit(ProcessTracking.Mode tracking) throws Exception {
        follower(tracking).nodeTimeout(Duration.ofSeconds(1));
        String nodeId = node.start();
        node.runWaiting(nodeId, "unread", afterFile("end") + "echo never-read; exit 7");
        long wrapper = node.wrappers.get(0);
        node.crash();
        Files.writeString(work.resolve("end"), "");
        await("the command to end", WAIT, () -> !running(node.commands.get(0)));
        long ended = System.nanoTime();
        assertTrue(running(wrapper), "the wrapper did not wait for a reader");
        await("the wrapper to end", WAIT, () -> !running(wrapper));
        double after = (System.nanoTime() - ended) / 1e9;
        assertTrue(after < 6 + 3, "the wrapper ended " + after + " s after its command");
        try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
            List<Path> exits = files.filter(f -> f.toString().endsWith(CommandWrapper.EXIT)).toList();
            assertEquals(1, exits.size(), "" + exits);
            assertEquals("7", Files.readAllLines(exits.get(0)).get(0));
        }
    }
}
