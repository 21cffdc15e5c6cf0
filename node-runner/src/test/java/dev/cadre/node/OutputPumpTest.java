package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.testing.Await;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pump of an adopted command's named pipe ({@link OutputPump#adopted}) over a real named pipe and a real shell
 * standing for the command's wrapper ({@link CommandWrapper}), which opens the pipe for reading and writing, writes
 * the command's output through it and ends.
 */
class OutputPumpTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    /**
     * The wrapper made its pipe, and the next runner adopts the command before the wrapper has opened it (a loaded
     * node's scheduler, or a runner stopped just after it told the wrapper to run): with no writer yet, the pipe reads
     * as ended, which is no end while the wrapper runs.
     */
    @Test
    void aPipeOpenedBeforeItsWrapperOpensItIsReadOnceItDoes() throws Exception {
        Path pipe = pipe();
        Path go = dir.resolve("go");
        Process wrapper = new ProcessBuilder("/bin/sh", "-c", "until [ -f \"$0\" ]; do sleep 0.01; done;"
                + " exec 4<>\"$1\" 1>\"$1\"; echo adopted-output", go.toString(), pipe.toString()).start();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        OutputPump pump = OutputPump.adopted(pipe, wrapper::isAlive, read::writeBytes, "test-adopted-stdout");
        long here = ProcessHandle.current().pid();
        Await.until("the pump reading the pipe before its wrapper opens it, or its end", WAIT,
                () -> pump.drained().isDone() || CommandCgroupAtStopIntegrationTest.holds(here, pipe));

        Files.writeString(go, "");
        pump.drained().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("adopted-output\n", read.toString(StandardCharsets.UTF_8));
        assertTrue(wrapper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the wrapper did not end");
    }

    /** A pipe that no process holds for writing, whose wrapper has ended (killed before it opened it), is its end. */
    @Test
    void aPipeNoWrapperWillOpenEndsAtOnce() throws Exception {
        Path pipe = pipe();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        OutputPump pump = OutputPump.adopted(pipe, () -> false, read::writeBytes, "test-adopted-stdout");
        pump.drained().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, read.size());
    }

    private Path pipe() throws Exception {
        Path pipe = dir.resolve("command.stdout");
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", pipe.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        return pipe;
    }
}
