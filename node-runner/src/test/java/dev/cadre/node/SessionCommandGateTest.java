package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.ExecRunRecord;
import dev.cadre.protocol.ExecMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracked by session, a remote command's record is named by its wrapper's pid, so it is written after the start;
 * the wrapper runs nothing until the runner has written the record and the request's id and says so. A runner killed
 * (SIGKILL, in a JVM of its own) anywhere in between leaves nothing running unrecorded, and no request id that would
 * make the next runner take the command for one that ran: the broker's copy of the request runs it once.
 */
class SessionCommandGateTest {
    private static final Duration LONG_GRACE = Duration.ofSeconds(60);
    /** The file the command makes, had it run. */
    private static final String RAN = "ran";

    @Test
    void aRunnerKilledBeforeTheRecordLeavesNothingRunning(@TempDir Path dir) throws Exception {
        long wrapper = killedAndEnded(dir, false);
        assertTrue(Files.notExists(dir.resolve(RAN)), "the command ran with no record of it");
        assertTrue(Files.notExists(dir.resolve("5-1-" + wrapper + CommandWrapper.EXIT)), "nor did it record a status");
    }

    @Test
    void aRunnerKilledAfterTheRecordBeforeItsWordLeavesTheRequestToItsCopy(@TempDir Path dir) throws Exception {
        killedAndEnded(dir, true);
        assertTrue(Files.notExists(dir.resolve(RAN)), "the command ran although its runner never said so");

        ExecRecords records = new ExecRecords(dir);
        ExecSessions restarted = new ExecSessions(records, new HeldAttempts("n1", records), LONG_GRACE, null);
        restarted.adopt((request, record, wrapperRuns) -> { });
        assertTrue(restarted.adopted("r1").isEmpty(), "the next runner would take r1 for a command that ran, and "
                + "tell its agent so instead of running the broker's copy");
        assertTrue(restarted.exitTold("r1").isEmpty());
    }

    /** Tells a runner's crash from a start that failed: the record written, the command runs, and only then. */
    @Test
    void aCommandWhoseRecordCannotBeWrittenNeverRunsAndItsWrapperEndsAtOnce(@TempDir Path dir) throws Exception {
        Path exec = dir.resolve("exec");
        Path ran = dir.resolve(RAN);
        ExecRecords records = new ExecRecords(exec);
        ExecSessions sessions = new ExecSessions(records, new HeldAttempts("n1", records), LONG_GRACE, null);
        Files.delete(exec);
        Set<Long> before = children();
        IOException e = assertThrows(IOException.class, () -> sessions.start(new ExecMessage.ExecRequest("r2", 5, 1,
                "t", "touch " + ran), null, Map.of(), reply -> true));
        assertTrue(e.getMessage().startsWith("cannot record the command in " + exec), e.getMessage());
        // The wrapper, unless it has ended already: well inside the grace period, which a kill of a wrapper leading
        // no session yet would wait out.
        for (ProcessHandle wrapper : ProcessHandle.current().children().filter(h -> !before.contains(h.pid()))
                .toList()) {
            wrapper.onExit().get(LONG_GRACE.toSeconds() / 2, TimeUnit.SECONDS);
        }
        assertTrue(Files.notExists(ran), "the command ran unrecorded");
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The runner killed before the record, or after it (recorded), and its wrapper ended; answers its pid. */
    private static long killedAndEnded(Path dir, boolean recorded) throws Exception {
        long wrapper = killedRunner(dir, dir.resolve(RAN), recorded);
        awaitEnded(wrapper);
        return wrapper;
    }

    /** Starts the command from a runner in another JVM, which is killed with SIGKILL; answers the wrapper's pid. */
    private static long killedRunner(Path dir, Path ran, boolean recorded) throws Exception {
        Process runner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingRunner.class.getName(), dir.toString(),
                "touch " + ran, Boolean.toString(recorded)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(runner.getInputStream(),
                StandardCharsets.UTF_8))) {
            return Long.parseLong(out.readLine());
        } finally {
            runner.destroyForcibly();
            assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner did not end");
        }
    }

    /** Until the process has ended: gone, or a zombie (under an init that reaps no orphan, one stays so). */
    private static void awaitEnded(long pid) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String stat;
            try {
                stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            } catch (NoSuchFileException e) {
                return;
            }
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the wrapper " + pid + " still waits for its word");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** A runner that starts a command as ExecSessions does, then waits to be killed before it says go. */
    static final class CrashingRunner {
        public static void main(String[] args) throws Exception {
            ExecRecords records = new ExecRecords(Path.of(args[0]));
            ExecRun run = ExecRun.start(new ExecMessage.ExecRequest("r1", 5, 1, "t", args[1]), null, Map.of(),
                    reply -> true, null, records.exitStem(5, 1, null), Duration.ofSeconds(65));
            if (Boolean.parseBoolean(args[2])) {
                ExecRunRecord record = records.recordRun(5, 1, run.pid());
                records.recordRequest(ExecRecords.nameOf(record, null), "r1");
            }
            System.out.println(run.pid());
            System.out.flush();
            System.in.read(); // killed here
        }
    }
}
