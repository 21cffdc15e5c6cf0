package dev.cadre.cli;

import static dev.cadre.cli.ExampleClients.Protocol.AMQP;
import static dev.cadre.cli.ExampleClients.Protocol.STOMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.broker.TlsKeyStore;
import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'cadre up --client-tls' through bin/cadre: every client port and the REST API speak TLS alone with the head's
 * certificate, which client.json carries; the Slurm commands, srun's relay, the Java client (cadre watch), the Python
 * AMQP and STOMP examples and curl --cacert get in, plain clients and clients pinning another certificate do not.
 */
class ClientTlsSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    @TempDir
    static Path base;
    private static CadreProcess cadre;
    private static ExampleClients examples;

    @BeforeAll
    static void start() throws Exception {
        ExampleClients.requirePythonClients();
        cadre = new CadreProcess(base);
        cadre.up("--client-tls");
        examples = new ExampleClients(cadre);
    }

    @AfterAll
    static void stop() throws Exception {
        if (examples != null) {
            examples.close();
        }
        if (cadre != null) {
            cadre.stop();
        }
    }

    @Test
    void everyClientReachesTheHeadOverTlsTrustingItsCertificateAlone() throws Exception {
        JsonNode client = MessageCodec.mapper().readTree(cadre.dataDir.resolve("client.json").toFile());
        int[] p = cadre.ports;
        assertEquals("tcp://127.0.0.1:" + p[1] + "?sslEnabled=true", client.path("brokerUrl").asText());
        assertEquals("amqps://127.0.0.1:" + p[2], client.path("amqpUrl").asText());
        assertEquals("stomp+ssl://127.0.0.1:" + p[3], client.path("stompUrl").asText());
        assertEquals("https://127.0.0.1:" + p[0], client.path("httpUrl").asText());
        String certificate = client.path("headCertificate").asText();
        assertEquals(MessageCodec.mapper().readTree(cadre.dataDir.resolve("node.json").toFile())
                .path("headCertificate").asText(), certificate, "the one certificate nodes pin already");

        long id = cadre.sbatch("--wrap", "echo over tls");
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertTrue(cadre.ok("squeue", "--states=all", "-j", "" + id).out().contains("" + id));
        CadreCommands.Result srun = cadre.runWithInput("piped through the relay\n", "srun", "-N1", "cat");
        assertEquals(0, srun.exit(), srun.toString());
        assertEquals("piped through the relay\n", srun.out());
        CadreCommands.Result watch = cadre.run("cadre", "watch", "" + id);
        assertEquals(0, watch.exit(), watch.toString());
        assertTrue(watch.out().contains("COMPLETED"), watch.toString());

        long amqpJob = examples.submit(AMQP, "--command", "echo ran via amqps").accepted().jobId();
        ExampleClients.Outcome stomp = examples.submit(STOMP, "--command", "true", "--no-reply");
        assertEquals(0, stomp.exit(), stomp.toString());
        cadre.awaitState(amqpJob, "COMPLETED", WAIT);
        ExampleClients.Outcome plainAmqp = examples.submit(AMQP, "--url", "amqp://127.0.0.1:" + p[2], "--timeout",
                "10", "--command", "true");
        assertEquals(1, plainAmqp.exit(), "plain AMQP is refused: " + plainAmqp);

        Path pem = Files.writeString(base.resolve("head.pem"), certificate);
        String token = "Authorization: Bearer " + client.path("token").asText();
        // curl checks the name, which is cadre-head wherever the head is.
        String named = "https://cadre-head:" + p[0];
        CadreCommands.Result job = curl("--cacert", pem.toString(), "--connect-to", "cadre-head:" + p[0]
                + ":127.0.0.1:" + p[0], "-H", token, named + "/api/jobs/" + id);
        assertEquals(0, job.exit(), job.toString());
        assertTrue(job.out().contains("\"COMPLETED\""), job.out());
        assertEquals(0, curl("--cacert", pem.toString(), "--connect-to", "cadre-head:" + p[0] + ":127.0.0.1:"
                + p[0], named + "/").exit(), "the status page over HTTPS");
        assertNotEquals(0, curl("-H", token, "http://127.0.0.1:" + p[0] + "/api/jobs/" + id).exit(),
                "no plain HTTP");
        assertNotEquals(0, curl("-H", token, "https://127.0.0.1:" + p[0] + "/api/jobs/" + id).exit(),
                "no trust without the certificate");
    }

    @Test
    void aClientFilePinningAnotherCertificateIsRefusedBeforeItSendsAnything() throws Exception {
        ObjectNode misled = (ObjectNode) MessageCodec.mapper().readTree(cadre.dataDir.resolve("client.json")
                .toFile());
        misled.put("headCertificate", TlsKeyStore.create(base.resolve("other.p12"), "other-password").certificate()
                .pem());
        Path file = base.resolve("misled.json");
        Files.writeString(file, misled.toString());

        RestClient.ClientException rest = assertThrows(RestClient.ClientException.class,
                () -> RestClient.fromConfig(file.toString()).get("/api/nodes"));
        assertTrue(rest.getMessage().startsWith("no TLS with Cadre at https://127.0.0.1:" + cadre.ports[0]
                + ": it did not show the headCertificate of " + file), rest.getMessage());
        assertEquals(RestClient.Answer.NOT_REACHED, rest.answer);
        CadreException bus = assertThrows(CadreException.class, () -> CadreClient.connect(file).close());
        assertTrue(bus.getMessage().startsWith("cannot connect to Cadre's broker at tcp://127.0.0.1:"
                + cadre.ports[1] + "?sslEnabled=true"), bus.getMessage());
    }

    @Test
    void anOldPlainClientFileIsToldAtOnceThatTheHeadAnsweredWithTls() throws Exception {
        JsonNode current = MessageCodec.mapper().readTree(cadre.dataDir.resolve("client.json").toFile());
        int[] p = cadre.ports;
        ObjectNode old = ((ObjectNode) current.deepCopy()).put("brokerUrl", "tcp://127.0.0.1:" + p[1])
                .put("httpUrl", "http://127.0.0.1:" + p[0]);
        old.remove("headCertificate");
        Path file = Files.writeString(base.resolve("old-client.json"), old.toString());
        String plainHttp = "the head at http://127.0.0.1:" + p[0] + " answered with TLS (it runs with --client-tls),"
                + " but the client file " + file + " is for plain connections; take the head's new client.json";

        CadreCommands.Result squeue = cadre.run("cadre", "--config", file.toString(), "squeue");
        assertEquals(new CadreCommands.Result(1, "", "squeue: error: " + plainHttp + "\n"), squeue);
        long start = System.nanoTime();
        CadreCommands.Result sbatch = cadre.run("cadre", "--config", file.toString(), "sbatch", "--wrap", "true");
        assertEquals(new CadreCommands.Result(1, "", "sbatch: error: Batch job submission failed: " + plainHttp
                + "\n"), sbatch, "said once, not tried again");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(30)) < 0);

        // Only the broker's URL old: srun's relay connects there once the job runs.
        ObjectNode oldBroker = ((ObjectNode) current.deepCopy()).put("brokerUrl", "tcp://127.0.0.1:" + p[1]);
        Path relayFile = Files.writeString(base.resolve("old-broker.json"), oldBroker.toString());
        String plainCore = "the head at tcp://127.0.0.1:" + p[1] + " answered with TLS (it runs with --client-tls),"
                + " but the client file " + relayFile + " is for plain connections; take the head's new client.json";
        // A pipe, not a file, on its standard input: srun streams it to the task through the relay.
        Path srunOutput = base.resolve("srun-old-broker.txt");
        Process srun = cadre.startClient(srunOutput, "cadre", "--config", relayFile.toString(), "srun", "-N1", "cat");
        srun.getOutputStream().write("piped\n".getBytes(StandardCharsets.UTF_8));
        srun.getOutputStream().close();
        if (!srun.waitFor(60, TimeUnit.SECONDS)) {
            srun.destroyForcibly();
            throw new AssertionError("srun did not end within 60 s: " + Files.readString(srunOutput));
        }
        String said = Files.readString(srunOutput);
        assertNotEquals(0, srun.exitValue(), said);
        assertTrue(said.contains("srun: error: " + plainCore + "\n"), said);
        CadreCommands.Result watch = cadre.run("cadre", "--config", file.toString(), "watch");
        assertEquals(new CadreCommands.Result(1, "", "cadre watch: cannot connect to Cadre's broker at tcp://127.0.0.1:"
                + p[1] + ": the head at tcp://127.0.0.1:" + p[1] + " answered with TLS (it runs with --client-tls),"
                + " but the client file is for plain connections; take the head's new client.json\n"), watch);
    }

    private static CadreCommands.Result curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command).start();
        curl.getOutputStream().close();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!curl.waitFor(30, TimeUnit.SECONDS)) {
            curl.destroyForcibly();
            throw new AssertionError("curl did not end within 30 s");
        }
        return new CadreCommands.Result(curl.exitValue(), out, err);
    }
}
