package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /api/nodes and sinfo against a real head in this JVM, whose local node has 4 cores. */
class SinfoIntegrationTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();

    /** The local node, once it has registered (the head does not wait for that when it starts). */
    private static Json onlyNode() throws Exception {
        Json[] nodes = new Json[1];
        CadreProcess.await("the local node to register", InJvmHead.WAIT, () -> {
            try {
                nodes[0] = RestClient.fromConfig(head.clientFile().toString()).get("/api/nodes");
            } catch (RestClient.ClientException e) {
                throw new AssertionError(e);
            }
            return nodes[0].size() > 0;
        });
        assertEquals(1, nodes[0].size(), nodes[0].toString());
        return nodes[0].path(0);
    }

    private static String sinfo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new SlurmCommands(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), head.clientFile().toString())
                .sinfo(List.of(args), Map.of());
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theNodeListReportsWhatRunningJobsHoldAndSinfoShowsIt() throws Exception {
        Json idle = onlyNode();
        assertEquals("{\"cores\":0,\"oversubscribedCores\":0,\"gpus\":0,\"memoryMb\":0,\"jobIds\":[]}",
                idle.get("allocated").toString());
        String host = idle.get("hostname").asText();
        assertEquals("PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST\n"
                + "batch*       up   infinite      1   idle " + host + "\n", sinfo());

        long id = head.client().submit(head.job("sleep 60").cpusPerTask(3).memoryMb(64L).build()).accepted()
                .get(30, TimeUnit.SECONDS);
        head.awaitState(id, JobState.RUNNING);
        Json busy = onlyNode();
        assertEquals("{\"cores\":3,\"oversubscribedCores\":0,\"gpus\":0,\"memoryMb\":64,\"jobIds\":[" + id + "]}",
                busy.get("allocated").toString());
        assertEquals("batch*       up   infinite      1    mix " + host + "\n", sinfo("-h"));
        assertEquals(host + " 3/1/0/4\n", sinfo("-h", "-N", "-o", "%N %C"));

        assertTrue(head.client().cancel(id).get(30, TimeUnit.SECONDS).ok());
        head.awaitState(id, JobState.CANCELLED);
        assertEquals(0, onlyNode().get("allocated").get("cores").asInt());
        assertEquals("idle\n", sinfo("-h", "-o", "%t"));
    }
}
