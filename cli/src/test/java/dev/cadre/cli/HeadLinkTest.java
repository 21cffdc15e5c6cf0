package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a node connects with the node.json it has: pinned TLS to the node port, or (an older head's) as before. */
class HeadLinkTest {
    @TempDir
    Path dir;

    @Test
    void aPinnedNodeJoinsTheAnnouncedHostOnNodeJsonsPortOverTlsTrustingOnlyTheWrittenCertificate() throws Exception {
        HeadKeyStore head = HeadKeyStore.loadOrCreate(dir, "head-password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(head.file())));
        assertEquals(head.certificate(), HeadKeyStore.loadOrCreate(dir, "head-password").certificate(),
                "kept across restarts");
        Path state = Files.createDirectories(dir.resolve("state"));
        HeadLink link = HeadLink.of(nodeFile(61617, head.pem()), dir.resolve("node.json"), state);
        assertTrue(link.pinned());
        String url = link.wireUrl("tcp://10.1.2.3:61616");
        assertTrue(url.startsWith("tcp://10.1.2.3:61617?sslEnabled=true&verifyHost=false&trustStoreType=PKCS12"
                + "&trustStorePath="), url);
        assertTrue(url.contains(state.resolve(HeadLink.TRUST_STORE).toString().replace("/", "%2F")), url);
        assertTrue(Files.isRegularFile(state.resolve(HeadLink.TRUST_STORE)));
    }

    @Test
    void aNodeJsonWithoutTheCertificateConnectsAsBefore() throws Exception {
        HeadLink link = HeadLink.of(nodeFile(null, null), dir.resolve("node.json"), dir);
        assertFalse(link.pinned());
        assertEquals("tcp://10.1.2.3:61616", link.wireUrl("tcp://10.1.2.3:61616"));
    }

    @Test
    void aCertificateWithoutAPortOrThatIsNoCertificateIsRefusedNamingTheFile() throws Exception {
        HeadKeyStore head = HeadKeyStore.loadOrCreate(dir, "head-password");
        IOException noPort = assertThrows(IOException.class,
                () -> HeadLink.of(nodeFile(null, head.pem()), dir.resolve("node.json"), dir));
        assertTrue(noPort.getMessage().contains("node.json has a headCertificate but no valid nodePort"),
                noPort.getMessage());
        IOException garbage = assertThrows(IOException.class,
                () -> HeadLink.of(nodeFile(61617, "not a certificate"), dir.resolve("node.json"), dir));
        assertTrue(garbage.getMessage().contains("headCertificate that is not a PEM X.509 certificate"),
                garbage.getMessage());
    }

    private static ClientFile nodeFile(Integer port, String certificate) {
        return new ClientFile("tcp://127.0.0.1:61616", null, null, null, "cadre-node", "pw", null, "cadre-exec",
                "pw", port, certificate);
    }
}
