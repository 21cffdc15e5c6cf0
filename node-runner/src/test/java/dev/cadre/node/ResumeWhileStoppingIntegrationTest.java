package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cadre.node.core.RelayWire;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume that waits for the restarted runner to adopt its attempt (protocol.md 13.9) while that runner stops
 * again: the relay hangs up on the agent untold, so that it tries the next runner, instead of refusing the resume
 * for an attempt "not held" that the stop alone explains (the agent would print that refusal for nothing).
 */
class ResumeWhileStoppingIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void aRelayStoppingWhileAResumeWaitsForItsAdoptionLeavesTheAgentUntold() throws Exception {
        try (InVmBroker broker = InVmBroker.start(dir.resolve("broker"))) {
            ExecClient client = new ExecClient(broker.node());
            // Holds nothing: attempt 1 of job 7 is not adopted, so the resume waits.
            RunResumption resumption = new RunResumption(client, new AgentFailures(new HeldAttempts("n1",
                    new ExecRecords(dir.resolve("exec")))), Clock.systemUTC());
            RelayWire.Request resume = new RelayWire.Request("7", "1", "a".repeat(64), "beta=n2",
                    List.of("beta", "true"), "7.1." + UUID.randomUUID());
            ByteArrayOutputStream told = new ByteArrayOutputStream();
            ExecClient.Output output = new ExecClient.Output() {
                @Override
                public void stdout(byte[] data) {
                    told.writeBytes(data);
                }

                @Override
                public void stderr(byte[] data) {
                    told.writeBytes(data);
                }
            };
            CompletableFuture<ExecClient.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return resumption.follow(resume, output, () -> false, k -> { });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            client.close();
            // Well before the adoption wait would refuse it.
            assertSame(ExecClient.STOPPED, outcome.get(RunResumption.ADOPTION_WAIT.toSeconds() / 2,
                    TimeUnit.SECONDS));
            assertEquals("", told.toString(StandardCharsets.UTF_8));
        }
    }
}
