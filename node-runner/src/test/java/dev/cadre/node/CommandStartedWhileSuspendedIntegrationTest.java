package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.CommandSuspension;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A remote command whose request reaches a node after the node suspended its attempt there (scontrol suspend while
 * an mpirun's agent or srun was starting it) is stopped as the attempt's running commands were, and runs on once the
 * attempt is resumed. Each test runs with the node tracking processes by cgroup where it can (AUTO), and by session.
 */
class CommandStartedWhileSuspendedIntegrationTest extends CrashingFollowerCase {
    /** The processes whose command lines hold the text: the command's wrapper and bash. */
    private static List<String> statesOf(String text) {
        List<String> states = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : entries) {
                try {
                    if (new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).contains(text)) {
                        String[] stat = ProcessGroups.statFields(p, 2);
                        states.add(stat.length > 0 ? stat[0] : "gone");
                    }
                } catch (IOException e) {
                    // ended since the listing
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return states;
    }

    private static boolean allStopped(String text) {
        List<String> states = statesOf(text);
        return !states.isEmpty() && states.stream().allMatch("T"::equals);
    }

    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void aCommandThatStartsWhileItsAttemptIsSuspendedIsStoppedUntilTheResume(ProcessTracking.Mode tracking)
            throws Exception {
        follower(tracking);
        String nodeId = node.restart().nodeId();
        node.place(nodeId);
        node.send(nodeId, new NodeCommand.SuspendAttempt(CrashingFollower.JOB, 1));
        Path mark = dir.resolve("state/exec").resolve(CommandSuspension.fileName(CrashingFollower.JOB, 1));
        await("the node to mark the attempt suspended", WAIT, () -> Files.exists(mark));
        Path ran = work.resolve("ran");
        String command = "sleep 2; touch " + ran + "; exit 3";
        CompletableFuture<String> outcome = node.run(nodeId, "late", command);
        node.awaitRequestTaken(nodeId);
        await("the command to be stopped", WAIT, () -> allStopped("touch " + ran) || outcome.isDone());
        assertFalse(outcome.isDone(), "the command ran while suspended: " + outcome.getNow(null));
        Instant until = Instant.now().plusSeconds(3);
        await("the clock", WAIT, () -> Instant.now().isAfter(until) || Files.exists(ran));
        assertFalse(Files.exists(ran), "the command ran on while suspended");
        assertTrue(allStopped("touch " + ran), "the command is not stopped: " + statesOf("touch " + ran));
        node.send(nodeId, new NodeCommand.ResumeAttempt(CrashingFollower.JOB, 1, null));
        assertEquals("3", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(Files.exists(ran), "it ran once resumed");
    }
}
