package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command reading its agent's input while the coordinator's node-runner restarts (protocol.md 13.9, 13.10): the
 * agent resumes its run without the rest of its input, says so in one line, and the node closes the command's input,
 * so that a command reading to its end ends rather than waiting for input no relay can send. Both the Java agent
 * (RelayCall) and bin/cadre-rsh. Fails if the input were left open (the command would never see its end) or the
 * agent kept quiet about it.
 */
class RelayResumeInputIntegrationTest {
    private static final Path AGENT = CadreProcess.ROOT.resolve("bin/cadre-rsh");
    /** Echoes each line it reads, and says when its input ends. */
    private static final String READER = "while read -r l; do echo \"got $l\"; done; echo eof; exit 3";
    private static final String WARNING = "cadre rsh: the node's runner restarted before the command's input was all"
            + " sent; its standard input is closed\n";
    @TempDir
    Path dir;

    @Test
    void theJavaAgentsCommandSeesTheEndOfItsInputOnceResumed() throws Exception {
        try (ExecTestBed bed = new ExecTestBed(dir)) {
            Map<String, String> env = bed.placeJob(AgentOutput::works);
            PipedOutputStream typing = new PipedOutputStream();
            InputStream input = new PipedInputStream(typing);
            AgentOutput out = new AgentOutput();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try (RelayCall call = RelayCall.start(env, List.of("beta", READER), input)) {
                    return call.await(out);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            resumeWhileReading(bed, typing, out);
            assertEquals(3, exit.get(60, TimeUnit.SECONDS), out.errors());
            assertTrue(out.text().endsWith("eof\n"), out.text());
            assertEquals(WARNING, out.errors());
        }
    }

    @Test
    void theRshAgentsCommandSeesTheEndOfItsInputOnceResumed() throws Exception {
        try (ExecTestBed bed = new ExecTestBed(dir)) {
            Map<String, String> env = bed.placeJob(AgentOutput::works);
            ProcessBuilder pb = new ProcessBuilder(AGENT.toString(), "beta", READER);
            pb.environment().keySet().removeIf(k -> k.startsWith("CADRE_"));
            pb.environment().putAll(env);
            Process agent = pb.start();
            try {
                AgentOutput out = new AgentOutput();
                Thread stdout = out.copying(agent.getInputStream(), false);
                Thread stderr = out.copying(agent.getErrorStream(), true);
                resumeWhileReading(bed, agent.getOutputStream(), out);
                assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent ends");
                stdout.join(10_000);
                stderr.join(10_000);
                assertEquals(3, agent.exitValue(), out.errors());
                assertTrue(out.text().endsWith("eof\n"), out.text());
                assertEquals(WARNING, out.errors());
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    /** A line reaches the command; alpha restarts with the input still open; the command's input then ends. */
    private static void resumeWhileReading(ExecTestBed bed, OutputStream typing, AgentOutput out) throws Exception {
        typing.write("first\n".getBytes(StandardCharsets.US_ASCII));
        typing.flush();
        CadreProcess.await("the first line to come back", Duration.ofSeconds(20),
                () -> out.text().contains("got first\n"));
        bed.restartAlpha();
        // The input stays open: only the node's closing it after the resume ends the command.
        CadreProcess.await("the command to see the end of its input", Duration.ofSeconds(60),
                () -> out.text().contains("eof\n"));
        typing.close();
    }
}
