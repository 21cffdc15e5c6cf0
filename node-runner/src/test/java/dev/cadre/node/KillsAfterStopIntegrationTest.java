package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.testing.Await;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TemporaryQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A kill of remote commands asked for once the runner has stopped (an attempt's release that reaches the stopped exec
 * service, or the exit of a command of an attempt no longer held that comes after the stop) kills nothing and throws
 * nothing (it hit the closed kill executor: RejectedExecutionException): the commands and their records are left to
 * the next runner, which kills them at its start since their attempt is no longer held, and tells their agents so,
 * or the exit a command recorded before (they heard that nothing knew the command). Real processes, by cgroup and by
 * session, over an embedded broker.
 */
class KillsAfterStopIntegrationTest extends ExecStopTestCase {
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, WAIT, condition);
    }

    private static boolean runs(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The release of job 7's attempt reaches the exec service after its stop (its command still runs). */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anAttemptReleasedAfterTheStopIsLeftToTheNextRunnerToKill(boolean byCgroup) throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        ExecService first = started(cgroups, place(7, TOKEN));
        TemporaryQueue replies = agents.createTemporaryQueue();
        MessageConsumer answers = agents.createConsumer(replies);
        Path pidFile = work.resolve("pid");
        send(new ExecMessage.ExecRequest("k1", 7, 1, TOKEN, "echo $$ > " + pidFile + ".part && mv " + pidFile
                + ".part " + pidFile + "; until [ -f " + work.resolve("done") + " ]; do sleep 0.05; done"), replies);
        assertNotNull(answers.receive(WAIT.toMillis()), "the command did not start");
        await("the command's pid", () -> Files.exists(pidFile));
        long pid = Long.parseLong(Files.readString(pidFile).strip());

        stop(first);
        CompletableFuture<Void> gone = assertDoesNotThrow(() -> first.release(7, 1));
        assertTrue(gone.isDone(), "the stopped runner waits for a kill");
        assertTrue(runs(pid), "the stopped runner killed the command");

        next(cgroups);
        await("the next runner's kill of the command of an attempt no longer held", () -> !runs(pid));
        ExecClient.Outcome o = resume("k1").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(ExecClient.UNREACHABLE, o.exitCode());
        assertEquals("h1: job 7 attempt 1 has ended, and this command was killed with it", o.failure());
    }

    /**
     * The exit of job 7's command comes after the stop, its attempt released meanwhile (its release's kill still to
     * come): the exit is recorded for the next runner, which forgets the command with its attempt.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anExitAfterTheStopForAnAttemptNoLongerHeldKillsNothingAndIsLeftToTheNextRunner(boolean byCgroup)
            throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        SessionsHolding holding = sessionsHolding7(cgroups);
        ExecRecords records = holding.records();
        ExecSessions first = holding.sessions();
        CompletableFuture<Boolean> exitSent = startStoppingAtItsExit(first, agents.createTemporaryQueue(),
                new ExecMessage.ExecRequest("u1", 7, 1, TOKEN, "until [ -f " + work.resolve("end") + " ]; do"
                + " sleep 0.05; done; exit 7"));
        holding.held().release(7, 1);
        Files.writeString(work.resolve("end"), "");
        assertFalse(exitSent.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the exit went out after the stop");
        // What follows the exit on its thread, once the command is no longer listed as running: a kill that the
        // closed executor refused midway left the attempt counted as being killed, for ever.
        await("the command's end", () -> !first.running("u1"));
        long settled = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < settled) {
            assertEquals(List.of(), first.stopping(), "a kill was asked for after the stop, and failed midway");
            LockSupport.parkNanos(Await.INTERVAL.toNanos());
        }
        List<String> commands = List.copyOf(records.requested());
        assertEquals(1, commands.size(), "the command's records: " + commands);
        assertEquals(7, records.exitStatus(commands.get(0)).orElseThrow().exitCode());

        next(cgroups);
        await("the next runner's forgetting of the command of an attempt no longer held",
                () -> assertDoesNotThrow(records::requested).isEmpty());
        ExecClient.Outcome o = resume("u1").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(7, o.exitCode(), "its agent is told the exit its wrapper recorded: " + o.failure());
    }
}
