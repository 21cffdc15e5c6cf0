package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cadre.broker.ClientFile;
import dev.cadre.cli.hosts.NetnsHosts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How nodes that found their head over mDNS deal with heads that are not where, or not who, they were: two heads
 * claiming one cluster, and a head renumbered while it runs. Hosts are network namespaces (see NetnsHosts).
 */
class HeadFollowingSystemIT {
    private static final String CADRE = NetnsCluster.CADRE;

    @TempDir
    Path base;

    @BeforeAll
    static void needsNetworkNamespaces() {
        NetnsHosts.assumeAvailable();
    }

    @Test
    void aNodeSeeingTwoHeadsOfItsClusterNamesBothAndJoinsTheOneThatAcceptsIt() throws Exception {
        try (NetnsHosts hosts = NetnsHosts.create(3)) {
            // Both at once, as each start takes seconds of its own.
            List<Process> heads = List.of(launchHead(hosts, 0, hosts.address(0)), launchHead(hosts, 1,
                    hosts.address(1)));
            for (int i = 0; i <= 1; i++) {
                Path headLog = base.resolve("server-h" + i + ".log");
                NetnsCluster.awaitLog(heads.get(i), headLog, "Cadre is up", Duration.ofSeconds(60));
                // Announcing runs in the background after the head is up.
                NetnsCluster.awaitLog(heads.get(i), headLog, "announced _cadre._tcp.local.", Duration.ofSeconds(30));
            }
            Path log = base.resolve("node-h2.log");
            Process node = hosts.start("h2", List.of(CADRE, "node", "--config",
                    base.resolve("data-h1/node.json").toString(), "--state-dir", base.resolve("h2/node").toString(),
                    "--runtime-dir", base.resolve("h2/runtime").toString(), "--heartbeat", "500"), log);
            NetnsCluster.awaitLog(node, log, "joined", Duration.ofSeconds(60));
            String text = CadreProcess.read(log);
            String h0 = "tcp://" + hosts.address(0) + ":61616";
            String h1 = "tcp://" + hosts.address(1) + ":61616";
            assertTrue(text.contains("2 heads announce cluster 'cadre': ") && text.contains(" at " + h0)
                    && text.contains(" at " + h1), text);
            assertTrue(text.contains("joined " + h1 + "."), "the head whose node.json it has: " + text);
            if (text.indexOf(" at " + h0) < text.indexOf(" at " + h1)) {
                // Each head has its own certificate: h0 cannot show the one of h1's node.json.
                assertTrue(text.contains("the broker at " + hosts.address(0) + ":61617 (node.json's node port")
                        && text.contains("did not present the head's certificate"), "tried h0 first: " + text);
            }
            awaitNodeUp(hosts.address(1), base.resolve("data-h1"), "h2");
        }
    }

    @Test
    void aHeadRenumberedWhileItRunsIsAnnouncedAnewAndItsNodeFollowsIt() throws Exception {
        try (NetnsHosts hosts = NetnsHosts.create(2)) {
            startHead(hosts, 0, "0.0.0.0");
            Path log = base.resolve("node-h1.log");
            Process node = hosts.start("h1", List.of(CADRE, "node", "--rediscover-after", "2", "--config",
                    base.resolve("data-h0/node.json").toString(), "--state-dir", base.resolve("h1/node").toString(),
                    "--runtime-dir", base.resolve("h1/runtime").toString(), "--heartbeat", "500"), log);
            String before = "tcp://" + hosts.address(0) + ":61616";
            NetnsCluster.awaitLog(node, log, "joined " + before + ".", Duration.ofSeconds(60));

            // DHCP gives the head another address: the old one goes, and with it the routes of the interface.
            String renumbered = "10.213.0.60";
            String ns = "cadre-h0";
            NetnsHosts.run(List.of("ip", "-n", ns, "addr", "del", hosts.address(0) + "/24", "dev", "eth0"));
            NetnsHosts.run(List.of("ip", "-n", ns, "addr", "add", renumbered + "/24", "dev", "eth0"));
            NetnsHosts.run(List.of("ip", "-n", ns, "route", "replace", "224.0.0.0/4", "dev", "eth0"));

            Path headLog = base.resolve("server-h0.log");
            NetnsCluster.awaitLog(node, headLog, "broker tcp://" + renumbered + ":61616", Duration.ofSeconds(30));
            NetnsCluster.awaitLog(node, log, "joined tcp://" + renumbered + ":61616 (the head at " + before
                    + " was lost", Duration.ofSeconds(150));
            awaitNodeUp(renumbered, base.resolve("data-h0"), "h1");
        }
    }

    private Process startHead(NetnsHosts hosts, int i, String bind) throws Exception {
        Process head = launchHead(hosts, i, bind);
        NetnsCluster.awaitLog(head, base.resolve("server-h" + i + ".log"), "Cadre is up", Duration.ofSeconds(60));
        return head;
    }

    private Process launchHead(NetnsHosts hosts, int i, String bind) throws IOException {
        return hosts.start(hosts.host(i), List.of(CADRE, "server", "--bind", bind, "--data-dir",
                base.resolve("data-h" + i).toString(), "--node-timeout", "3"), base.resolve("server-h" + i + ".log"));
    }

    /** Asks the head's REST API, at the address given, until the node of that host is UP. */
    private static void awaitNodeUp(String headAddress, Path dataDir, String hostname) throws Exception {
        ClientFile client = ClientFile.read(dataDir.resolve(ClientFile.CLIENT_FILE));
        URI api = URI.create("http://" + headAddress + ":" + URI.create(client.httpUrl()).getPort() + "/api/nodes");
        String[] last = {""};
        try {
            CadreProcess.await(hostname + " UP at " + api, Duration.ofSeconds(60), () -> {
                try {
                    last[0] = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api)
                            .header("Authorization", "Bearer " + client.token()).timeout(Duration.ofSeconds(10))
                            .build(), HttpResponse.BodyHandlers.ofString()).body();
                    for (JsonNode n : new ObjectMapper().readTree(last[0])) {
                        if (n.path("hostname").asText().equals(hostname) && n.path("state").asText().equals("UP")) {
                            return true;
                        }
                    }
                    return false;
                } catch (Exception e) {
                    last[0] = e.toString();
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
        }
    }
}
