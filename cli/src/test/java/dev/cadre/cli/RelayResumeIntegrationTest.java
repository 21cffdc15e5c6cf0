package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote command that goes on writing after the coordinator's node-runner restarted (protocol.md 13.9): its agent
 * resumes the run with the next runner, whose relay names a new reply queue in its keepalives, and the node running
 * the command sends what it writes from then on there (ReplyRoute). The agent gets that output and the real exit
 * status, both the Java agent (RelayCall, srun's) and bin/cadre-rsh (mpirun's). Fails if the node kept answering the
 * first relay's queue, gone with its connection: nothing written after the restart would arrive. (Lines written
 * while no runner relays are lost; the test does not count on them.)
 */
class RelayResumeIntegrationTest {
    private static final Path AGENT = CadreProcess.ROOT.resolve("bin/cadre-rsh");
    @TempDir
    Path dir;

    /** Ticks every 0.1 s until {@code go} exists, then says so on both streams and exits 3. */
    private static String ticking(Path go) {
        return "i=0; until [ -f " + go + " ]; do echo tick $i; i=$((i+1)); sleep 0.1; done; echo last;"
                + " echo to-err >&2; exit 3";
    }

    @Test
    void theJavaAgentGetsWhatTheCommandWritesAfterTheRestart() throws Exception {
        try (ExecTestBed bed = new ExecTestBed(dir)) {
            Map<String, String> env = bed.placeJob(AgentOutput::works);
            Path go = dir.resolve("go-java");
            AgentOutput out = new AgentOutput();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try (RelayCall call = RelayCall.start(env, List.of("beta", ticking(go)))) {
                    return call.await(out);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            restartWhileTicking(bed, out);
            Files.writeString(go, "");

            assertEquals(3, exit.get(60, TimeUnit.SECONDS), out.errors());
            assertTrue(out.text().endsWith("last\n"), out.text());
            assertEquals("to-err\n", out.errors());
        }
    }

    @Test
    void theRshAgentGetsWhatTheCommandWritesAfterTheRestart() throws Exception {
        try (ExecTestBed bed = new ExecTestBed(dir)) {
            Map<String, String> env = bed.placeJob(AgentOutput::works);
            Path go = dir.resolve("go-rsh");
            ProcessBuilder pb = new ProcessBuilder(AGENT.toString(), "beta", ticking(go));
            pb.environment().keySet().removeIf(k -> k.startsWith("CADRE_"));
            pb.environment().putAll(env);
            Process agent = pb.start();
            try {
                agent.getOutputStream().close();
                AgentOutput out = new AgentOutput();
                Thread stdout = out.copying(agent.getInputStream(), false);
                Thread stderr = out.copying(agent.getErrorStream(), true);
                restartWhileTicking(bed, out);
                Files.writeString(go, "");

                assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent ends");
                stdout.join(10_000);
                stderr.join(10_000);
                assertEquals(3, agent.exitValue(), out.errors());
                assertTrue(out.text().endsWith("last\n"), out.text());
                assertEquals("to-err\n", out.errors());
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    /**
     * Waits for the first tick, restarts alpha, and waits until a tick written after the restart arrives: the agent
     * resumed its run with the next runner, and beta answers that runner's relay.
     */
    private static void restartWhileTicking(ExecTestBed bed, AgentOutput out) throws Exception {
        CadreProcess.await("the command's first tick", Duration.ofSeconds(20), () -> out.text().contains("tick 0\n"));
        bed.restartAlpha();
        // The first runner's relay is closed: nothing more comes through it.
        int before = out.text().length();
        CadreProcess.await("ticks written after the restart", Duration.ofSeconds(30),
                () -> out.text().length() > before);
    }
}
