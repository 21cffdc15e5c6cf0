package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import dev.cadre.node.LocalNetwork;
import dev.cadre.node.core.HeadRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 96's attack: a broker that is not the head, announced over mDNS or named by --server, that accepts any
 * login. The node's node.json pins the real head's certificate: the node must refuse the fake before it sends its
 * passwords (the fake records every login it is offered), so the fake never has it to send jobs to, and must say why.
 */
class FakeHeadSystemIT {
    @TempDir
    Path base;

    @Test
    void aNodeGivenAFakeHeadByServerSendsItNoPasswordWhetherItSpeaksPlainCoreOrTlsWithAnotherCertificate()
            throws Exception {
        for (boolean tls : new boolean[] {false, true}) {
            Path dir = Files.createDirectories(base.resolve(tls ? "tls" : "plain"));
            try (FakeHead fake = FakeHead.start(dir, tls)) {
                Path nodeFile = nodeFile(dir, fake.nodePort());
                Result r = node(dir, List.of("--server", "tcp://127.0.0.1:" + fake.plainPort(), "--config",
                        nodeFile.toString()));
                assertEquals(List.of(), fake.logins, "the fake was offered a login (tls " + tls + "): " + r.output);
                assertEquals(1, r.exit, r.output);
                assertTrue(r.output.contains("the broker at 127.0.0.1:" + fake.nodePort()) && r.output.contains(
                        "did not present the head's certificate from node.json; not sending credentials"), r.output);
                assertFalse(r.output.contains("joined"), r.output);
            }
        }
    }

    @Test
    void aNodeFindingAFakeHeadOverMdnsSendsItNoPasswordAndSaysWhy() throws Exception {
        String cluster = "f" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeHead fake = FakeHead.start(base, false);
                HeadAnnouncement announced = HeadAnnouncement.start(LocalNetwork.mdnsAddress("127.0.0.1"),
                        from -> new HeadRecord(cluster, "tcp://127.0.0.1:" + fake.plainPort()), fake.plainPort())) {
            Path nodeFile = nodeFile(base, fake.nodePort());
            Result r = node(base, List.of("--cluster", cluster, "--mdns-address", "127.0.0.1", "--discovery-wait",
                    "20", "--config", nodeFile.toString()));
            assertTrue(r.output.contains("Found the head at tcp://127.0.0.1:" + fake.plainPort() + " over mDNS"),
                    r.output);
            assertEquals(List.of(), fake.logins, "the fake was offered a login: " + r.output);
            assertEquals(1, r.exit, r.output);
            assertTrue(r.output.contains("the broker at 127.0.0.1:" + fake.nodePort()) && r.output.contains(
                    "did not present the head's certificate from node.json; not sending credentials"), r.output);
        }
    }

    /** A node.json as the real head writes it: its certificate, and the node port (here the fake's). */
    private static Path nodeFile(Path dir, int nodePort) throws Exception {
        HeadKeyStore head = HeadKeyStore.loadOrCreate(Files.createDirectories(dir.resolve("real-head")), "real-password");
        Path file = dir.resolve("node.json");
        new ClientFile("tcp://127.0.0.1:1", null, null, null, "cadre-node", "node-password-" + nodePort, null,
                "cadre-exec", "exec-password", nodePort, head.pem()).write(file);
        return file;
    }

    private record Result(int exit, String output) {
    }

    /** Runs 'cadre node' until it exits; one that joins the fake does not exit, and is stopped after a minute. */
    private static Result node(Path dir, List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(CadreProcess.ROOT.resolve("bin/cadre").toString(), "node",
                "--state-dir", dir.resolve("node").toString(), "--runtime-dir", dir.resolve("runtime").toString(),
                "--process-tracking", "session", "--heartbeat", "500"));
        command.addAll(options);
        Path log = dir.resolve("node.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            return new Result(-1, "still running after 60 s: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    /**
     * An Artemis broker that is not Cadre's: a plain CORE listener (what mDNS or --server names) and a second one on
     * the port node.json names, plain or TLS with a certificate of its own. It accepts every login, and records it.
     */
    private static final class FakeHead implements AutoCloseable {
        final List<String> logins = new CopyOnWriteArrayList<>();
        private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();

        static FakeHead start(Path dir, boolean tls) throws Exception {
            FakeHead f = new FakeHead();
            ConfigurationImpl config = new ConfigurationImpl();
            config.setPersistenceEnabled(false);
            config.setSecurityEnabled(true);
            config.setJMXManagementEnabled(false);
            config.addAcceptorConfiguration("plain", "tcp://127.0.0.1:0?protocols=CORE");
            Map<String, Object> node = new HashMap<>(Map.of(TransportConstants.HOST_PROP_NAME, "127.0.0.1",
                    TransportConstants.PORT_PROP_NAME, 0, TransportConstants.PROTOCOLS_PROP_NAME, "CORE"));
            if (tls) {
                HeadKeyStore own = HeadKeyStore.loadOrCreate(Files.createDirectories(dir.resolve("fake-head")),
                        "fake-password");
                node.putAll(Map.of(TransportConstants.SSL_ENABLED_PROP_NAME, true,
                        TransportConstants.KEYSTORE_TYPE_PROP_NAME, "PKCS12",
                        TransportConstants.KEYSTORE_PATH_PROP_NAME, own.file().toString(),
                        TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, own.password()));
            }
            config.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(), node,
                    "node"));
            f.server.setConfiguration(config);
            f.server.setSecurityManager(new ActiveMQSecurityManager() {
                @Override
                public boolean validateUser(String user, String password) {
                    f.logins.add(user + " / " + password);
                    return true;
                }

                @Override
                public boolean validateUserAndRole(String user, String password, Set<Role> roles,
                        CheckType checkType) {
                    f.logins.add(user + " / " + password + " (" + checkType + ")");
                    return true;
                }
            });
            f.server.start();
            return f;
        }

        int plainPort() {
            return port("plain");
        }

        int nodePort() {
            return port("node");
        }

        private int port(String acceptor) {
            return ((org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor) server.getActiveMQServer()
                    .getRemotingService().getAcceptor(acceptor)).getActualPort();
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }
}
