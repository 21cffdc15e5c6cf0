package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerLimits;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.broker.PinnedCertificate;
import dev.cadre.broker.RequestClient;
import dev.cadre.broker.SubmissionDiskLimit;
import dev.cadre.broker.TlsKeyStore;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.scheduler.SchedulerDiagnostics;
import dev.cadre.scheduler.core.SchedulerStatistics;
import jakarta.jms.Connection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the head's key (cadre up --client-tls) the REST API and the status page are served over HTTPS alone, by
 * Jetty's own TLS: a client that pins the head's certificate is answered whatever host name it used, a plain one or
 * one trusting anything else is not.
 */
class HttpsWebServerTest {
    @TempDir
    Path dir;

    @Test
    void theApiAndThePageAreServedOverTlsToClientsThatPinTheHeadsCertificate() throws Exception {
        TlsKeyStore key = TlsKeyStore.create(dir.resolve("head.p12"), "head-password");
        PinnedCertificate head = key.certificate();
        PinnedCertificate stranger = TlsKeyStore.create(dir.resolve("other.p12"), "other-password").certificate();
        BrokerUsers users = BrokerUsers.generate();
        Jdbi jdbi = Database.open(dir.resolve("cadre.db"));
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users))
                .start();
                Connection requests = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "web");
                Connection output = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "output");
                RequestClient client = new RequestClient(requests);
                WebServer web = new WebServer(new WebServer.Settings("127.0.0.1", 0, users.restToken(),
                        WebServer.Limits.DEFAULT, new SubmissionDiskLimit(dir,
                        BrokerLimits.DEFAULT_CLIENT_DISK_PERCENT), key), new JobStore(jdbi), new NodeStore(jdbi),
                        new ServiceStore(jdbi), new ReservationStore(jdbi), new PartitionStore(jdbi), client, output,
                        new SchedulerDiagnostics(new SchedulerStatistics(
                        Clock.systemUTC()))).start()) {
            HttpClient pinned = HttpClient.newBuilder().sslContext(head.sslContext()).build();
            // 127.0.0.1 and localhost alike: the certificate names neither, and is trusted as the one pinned.
            for (String host : new String[] {"127.0.0.1", "localhost"}) {
                HttpResponse<String> nodes = pinned.send(get("https://" + host + ":" + web.port() + "/api/nodes")
                        .header("Authorization", "Bearer " + users.restToken()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, nodes.statusCode(), nodes.body());
                assertEquals("[]", nodes.body());
            }
            HttpResponse<String> page = pinned.send(get("https://127.0.0.1:" + web.port() + "/").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), "the status page over HTTPS");

            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                    get("http://127.0.0.1:" + web.port() + "/api/nodes").build(), HttpResponse.BodyHandlers.ofString()),
                    "no plain HTTP on the port");
            assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(
                    get("https://127.0.0.1:" + web.port() + "/").build(), HttpResponse.BodyHandlers.ofString()),
                    "the JDK's CAs do not vouch for the head");
            assertThrows(SSLHandshakeException.class, () -> HttpClient.newBuilder().sslContext(stranger.sslContext())
                    .build().send(get("https://127.0.0.1:" + web.port() + "/").build(),
                    HttpResponse.BodyHandlers.ofString()), "another head's certificate is not this one");
        }
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
    }
}
