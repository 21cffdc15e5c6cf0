package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head and a node-runner as separate processes, joined by an explicit --server address. */
class ServerAndNodeSystemIT {
    private static final String HEADER = "PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST\n";

    @TempDir
    Path base;

    @Test
    void aJobRunsOnANodeThatJoinedTheServer() throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        Process node = null;
        try {
            cadre.startHead("server");
            long waiting = cadre.sbatch("--wrap", "echo ran on $SLURMD_NODENAME");
            assertEquals("PENDING", cadre.state(waiting), "no node has joined yet");
            assertEquals(new CadreProcess.Result(0, HEADER + "batch*       up   infinite      0    n/a \n", ""),
                    cadre.run("sinfo"));
            node = cadre.startAndAwait(List.of(CadreProcess.ROOT.resolve("bin/cadre").toString(), "node",
                    "--server", "tcp://127.0.0.1:" + cadre.ports[1], "--config",
                    cadre.dataDir.resolve("node.json").toString(), "--state-dir", base.resolve("node").toString(),
                    "--runtime-dir", base.resolve("node-runtime").toString(), "--hostname", "worker1",
                    "--heartbeat", "500"), "joined");
            // It joined over TLS on the node port, trusting the certificate the head wrote into node.json.
            ClientFile nodeFile = ClientFile.read(cadre.dataDir.resolve("node.json"));
            assertEquals(cadre.ports[4], nodeFile.nodePort());
            assertTrue(nodeFile.headCertificate().startsWith("-----BEGIN CERTIFICATE-----"));
            assertTrue(Files.isRegularFile(base.resolve("node").resolve(HeadLink.TRUST_STORE)));
            cadre.awaitState(waiting, "COMPLETED", Duration.ofSeconds(60));
            assertEquals("ran on worker1\n", Files.readString(cadre.workDir.resolve("slurm-" + waiting + ".out")));
            assertTrue(Files.readString(base.resolve("node/node-id")).startsWith("worker1-"));
            assertEquals(new CadreProcess.Result(0, HEADER + "batch*       up   infinite      1   idle worker1\n", ""),
                    cadre.run("sinfo"));
        } finally {
            if (node != null) {
                node.destroy();
                node.waitFor(30, TimeUnit.SECONDS);
            }
            cadre.stop();
        }
    }
}
