package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.client.CadreClient;
import dev.cadre.client.JobResult;
import dev.cadre.client.Submission;
import dev.cadre.protocol.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client outlives a restart of the head: its outstanding results still complete. */
class CadreClientReconnectTest {
    @TempDir
    Path dir;

    @Test
    void aJobThatEndsWhileTheHeadIsDownStillCompletesItsResult() throws Exception {
        InJvmHead head = new InJvmHead(dir).start();
        try (CadreClient client = CadreClient.connect(head.clientFile())) {
            Path gate = dir.resolve("gate");
            Submission s = client.submit(head.job("while [ ! -f " + gate + " ]; do sleep 0.05; done; exit 6").build());
            long id = s.accepted().get(30, TimeUnit.SECONDS);
            head.awaitState(id, JobState.RUNNING);

            head.stop();
            // The job ends while nothing is there to publish it; its event may go out before the client is back.
            Files.writeString(gate, "");
            head.start();
            JobResult r = s.result().get(60, TimeUnit.SECONDS);
            assertEquals(JobState.FAILED, r.state());
            assertEquals(6, r.exitCode());
            assertEquals(JobState.COMPLETED, client.submit(head.job("true").build()).result()
                    .get(30, TimeUnit.SECONDS).state());
        } finally {
            head.stop();
        }
    }
}
