package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import dev.cadre.broker.TlsKeyStore;
import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.scheduler.core.SchedulerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client file and a head that disagree on TLS (an old plain client.json against a head started with --client-tls,
 * a TLS one against a head without it), against real heads in this JVM (embedded Artemis, SQLite, Jetty; no node):
 * squeue, sbatch, the Java client's broker connection and its REST calls say at once that the head answered with or
 * without TLS, naming the URL and the file, and sbatch does not take it for a head that is slow and try again.
 */
class TlsMismatchIntegrationTest {
    /** Without the look, sbatch tries a plain file against a TLS head for 300 s, the Java client for 50 s. */
    private static final Duration AT_ONCE = Duration.ofSeconds(20);
    @TempDir
    Path dir;

    @Test
    void anOldPlainClientFileIsToldTheHeadAnsweredWithTls() throws Exception {
        try (Head head = head("tls", true)) {
            ClientFile current = head.clientFile();
            String broker = current.brokerUrl().replace("?sslEnabled=true", "");
            String http = current.httpUrl().replace("https:", "http:");
            Path old = write("old.json", new ClientFile(broker, null, null, http, current.user(), current.password(),
                    current.token()));
            assertSqueueAndSbatchSay(old, "the head at " + http + " answered with TLS (it runs with --client-tls), but"
                    + " the client file " + old + " is for plain connections; take the head's new client.json");

            CadreException bus = assertThrows(CadreException.class, () -> assertTimeoutPreemptively(AT_ONCE,
                    () -> CadreClient.connect(old).close()));
            assertTrue(bus.getMessage().endsWith("the head at " + broker + " answered with TLS (it runs with"
                    + " --client-tls), but the client file is for plain connections; take the head's new"
                    + " client.json"), bus.getMessage());

            Path plainRest = write("plain-rest.json", new ClientFile(current.brokerUrl(), null, null, http,
                    current.user(), current.password(), current.token(), null, null, null,
                    current.headCertificate()));
            try (CadreClient client = CadreClient.connect(plainRest)) {
                ExecutionException usage = assertThrows(ExecutionException.class,
                        () -> client.usage(1).get(AT_ONCE.toSeconds(), TimeUnit.SECONDS));
                assertTrue(usage.getCause().getMessage().contains("the head at " + http + " answered with TLS"),
                        usage.getCause().getMessage());
            }
        }
    }

    @Test
    void aTlsClientFileIsToldTheHeadAnsweredWithoutTls() throws Exception {
        String certificate = TlsKeyStore.create(dir.resolve("other-head.p12"), "password").certificate().pem();
        try (Head head = head("plain", false)) {
            ClientFile current = head.clientFile();
            String broker = current.brokerUrl() + "?sslEnabled=true";
            String https = current.httpUrl().replace("http:", "https:");
            Path misled = write("tls.json", new ClientFile(broker, null, null, https, current.user(),
                    current.password(), current.token(), null, null, null, certificate));
            assertSqueueAndSbatchSay(misled, "the head at " + https + " answered without TLS (it runs without"
                    + " --client-tls), but the client file " + misled + " is for TLS; take the head's new client.json");

            StandardErrorCapture.Outcome connect = StandardErrorCapture.of(() -> assertTimeoutPreemptively(AT_ONCE,
                    () -> CadreClient.connect(misled).close()));
            CadreException bus = assertInstanceOf(CadreException.class, connect.thrown());
            assertTrue(bus.getMessage().endsWith("the head at " + broker + " answered without TLS (it runs without"
                    + " --client-tls), but the client file is for TLS; take the head's new client.json"),
                    bus.getMessage());
            assertFalse(connect.written().contains("AMQ214016") || connect.written().contains("\tat "),
                    "only the words, no Artemis trace before them: " + connect.written());
            assertFalse(bus.getMessage().contains("trustStore"), "no trust store path or password shown");

            Path tlsRest = write("tls-rest.json", new ClientFile(current.brokerUrl(), null, null, https,
                    current.user(), current.password(), current.token(), null, null, null, certificate));
            try (CadreClient client = CadreClient.connect(tlsRest)) {
                ExecutionException usage = assertThrows(ExecutionException.class,
                        () -> client.usage(1).get(AT_ONCE.toSeconds(), TimeUnit.SECONDS));
                assertTrue(usage.getCause().getMessage().contains("the head at " + https + " answered without TLS"),
                        usage.getCause().getMessage());
            }
        }
    }

    @Test
    void aTlsClientOnAPlainAmqpOrStompPortIsClosedAtOnceAndNamedInTheLog() throws Exception {
        try (Head head = head("plain", false)) {
            ClientFile file = head.clientFile();
            for (String url : List.of(file.amqpUrl(), file.stompUrl())) {
                URI port = URI.create(url);
                String protocol = port.getScheme().toUpperCase(Locale.ROOT);
                int[] local = new int[1];
                StandardErrorCapture.Outcome hello = StandardErrorCapture.of(() -> assertTimeoutPreemptively(
                        Duration.ofSeconds(5), () -> {
                            try (Socket socket = new Socket(port.getHost(), port.getPort())) {
                                local[0] = socket.getLocalPort();
                                socket.getOutputStream().write(clientHello(port));
                                assertEquals(-1, socket.getInputStream().read(), "closed, not kept for 10 s");
                            }
                        }));
                assertEquals(null, hello.thrown(), url);
                assertTrue(hello.written().contains("closed the " + protocol + " connection from /127.0.0.1:"
                        + local[0] + ": it began with a TLS handshake on this plain port: a client whose client file"
                        + " is for a head started with --client-tls (it needs this head's client.json)"),
                        hello.written());
                assertFalse(hello.written().contains("AMQ224096"), "no 'protocol CORE not found': "
                        + hello.written());
            }
        }
    }

    /** A TLS client's first flight, as a client file for a --client-tls head sends it to the port. */
    private static byte[] clientHello(URI port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine(port.getHost(), port.getPort());
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private record Outcome(int exit, String err) {
    }

    /** Each says it once, and exits 1 as on a head that cannot be reached; sbatch does not try again. */
    private static void assertSqueueAndSbatchSay(Path file, String words) {
        assertEquals(new Outcome(1, "squeue: error: " + words + "\n"), assertTimeoutPreemptively(AT_ONCE,
                () -> squeue(file)));
        assertEquals(new Outcome(1, "sbatch: error: Batch job submission failed: " + words + "\n"),
                assertTimeoutPreemptively(AT_ONCE, () -> sbatch(file)));
    }

    private Head head(String name, boolean clientTls) throws Exception {
        return new Head(new Head.Options(dir.resolve(name), "127.0.0.1", 0, CadreProcess.freePort(),
                CadreProcess.freePort(), CadreProcess.freePort(), false,
                SchedulerSettings.defaults(Duration.ofSeconds(10)), Duration.ofMillis(500), Duration.ofSeconds(2), 4,
                "cadre", Head.Options.NO_MDNS, null, ProcessTracking.Mode.AUTO, Duration.ofSeconds(1), 0, null,
                CpuChoice.Mode.CORES, clientTls)).start();
    }

    private Path write(String name, ClientFile file) throws Exception {
        Path p = dir.resolve(name);
        file.write(p);
        return p;
    }

    private static Outcome squeue(Path config) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new SqueueCommand(new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true,
                StandardCharsets.UTF_8), config.toString(), Clock.systemUTC(), Map.of()).run(List.of());
        return new Outcome(exit, err.toString(StandardCharsets.UTF_8));
    }

    private static Outcome sbatch(Path config) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new SlurmCommands(new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true,
                StandardCharsets.UTF_8), config.toString(), Clock.systemUTC()).sbatch(List.of("--wrap", "true"));
        return new Outcome(exit, err.toString(StandardCharsets.UTF_8));
    }
}
