package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.TerminalSize;
import dev.cadre.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's script and the command srun --pty, salloc at a terminal and srun with piped input run, with real sh,
 * bash, perl and script, as the job's node would run them: the command gets the script's environment, its input, a
 * terminal of the given size when asked, and its exit status becomes the script's.
 */
class AllocationHoldTest {
    @TempDir
    Path dir;
    /** What each test started, stopped after it whatever its end: a failed test's script would wait 300 s. */
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    private Process hold() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", AllocationHold.script()).directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(Map.of("CADRE_JOB_ID", "7", "CADRE_ATTEMPT", "2", "SLURM_JOB_ID", "7",
                "FROM_THE_JOB", "job-value"));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private Process attach(String command, String input) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(dir.toFile());
        // What the node gives an exec'd command: the exec variables, not the job's script's environment.
        pb.environment().remove("FROM_THE_JOB");
        pb.environment().putAll(Map.of("CADRE_JOB_ID", "7", "CADRE_ATTEMPT", "2"));
        Process p = pb.start();
        started.add(p);
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        return p;
    }

    private static String output(Process p) throws Exception {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not end");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aPipedCommandReadsItsInputUnderTheJobsEnvironmentAndItsExitEndsTheJob() throws Exception {
        Process hold = hold();
        Process cmd = attach(AllocationHold.command(List.of("sh", "-c", "echo $FROM_THE_JOB; cat; exit 3"), false,
                null, Map.of()), "hello\n");
        assertEquals("job-value\nhello\n", output(cmd));
        assertEquals(3, cmd.exitValue());
        assertEquals("", output(hold));
        assertEquals(3, hold.exitValue());
        assertFalse(Files.exists(dir.resolve(".cadre-interactive-7-2")), "the environment is removed");
    }

    @Test
    void aTerminalCommandRunsInAPseudoTerminalOfTheGivenSize() throws Exception {
        Process hold = hold();
        Process cmd = attach(AllocationHold.command(List.of("sh", "-c", "tty; stty size; echo $FROM_THE_JOB $TERM;"
                + " exit 4"), true, new TerminalSize(33, 101), Map.of("TERM", "xterm-test")), "");
        String out = output(cmd);
        assertTrue(out.matches("(?s)/dev/pts/\\d+\\r?\\n33 101\\r?\\njob-value xterm-test\\r?\\n"), out);
        assertEquals(4, cmd.exitValue());
        output(hold);
        assertEquals(4, hold.exitValue());
    }

    @Test
    void theScriptEndsOnlyOnceTheCommandsShellHasExited() throws Exception {
        Process hold = hold();
        // A command's shell as it is for an instant, between its exit status told and its own exit, made to stay.
        Process cmd = attach("""
                d="$PWD/.cadre-interactive-7-2"; i=0
                while [ ! -p "$d/end" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
                exec 3<>"$d/end"; echo started >&3; echo 3 >&3; touch told
                exec sleep 600
                """, "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(dir.resolve("told"))) {
            assertTrue(System.nanoTime() < deadline, "the command did not tell its status within 30 s");
            Thread.onSpinWait();
        }
        // The node kills what is left of the job once the script ends, which took such a shell down with it.
        assertFalse(hold.waitFor(1, TimeUnit.SECONDS), "the script ended while the command's shell was there");
        cmd.destroyForcibly();
        output(hold);
        assertEquals(3, hold.exitValue());
    }

    @Test
    void aCommandKilledWithoutAWordEndsTheJobAsAHangUp() throws Exception {
        Process hold = hold();
        Process cmd = attach(AllocationHold.command(List.of("sleep", "600"), false, null, Map.of()), "");
        // The command runs once sleep 600 has started (not the sleep of the wait for the script's FIFO): the node
        // kills the whole group at once. Checked every 20 ms, not spun on: a spinning thread holds one of a CI
        // machine's two cores from the processes it waits for.
        Await.until("the command to start", Duration.ofSeconds(30),
                () -> cmd.descendants().anyMatch(h -> h.info().commandLine().orElse("").endsWith("sleep 600")));
        // The command's shell first: killed after its sleep, it could still write the sleep's 137 to the FIFO
        // before its own kill came, a word no group kill lets it say.
        List<ProcessHandle> below = cmd.descendants().toList();
        cmd.destroyForcibly();
        assertTrue(cmd.waitFor(30, TimeUnit.SECONDS), "the command's shell did not die");
        below.forEach(ProcessHandle::destroyForcibly);
        output(hold);
        assertEquals(129, hold.exitValue());
    }
}
