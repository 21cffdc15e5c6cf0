package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a client file's headCertificate and TLS URLs are read, and what a Cadre client connects with. */
class PinnedCertificateTest {
    @TempDir
    static Path dir;
    private static String pem;

    @BeforeAll
    static void makeKey() throws Exception {
        pem = TlsKeyStore.create(dir.resolve("head.p12"), "head-password").certificate().pem();
    }

    @Test
    void aUrlAsksForTlsOnlyWithSslEnabledTrue() {
        assertFalse(PinnedCertificate.asksForTls("tcp://head:61616"));
        assertFalse(PinnedCertificate.asksForTls("tcp://head:61616?sslEnabled=false"));
        assertFalse(PinnedCertificate.asksForTls("tcp://head:61616?xsslEnabled=true"));
        assertTrue(PinnedCertificate.asksForTls("tcp://head:61616?sslEnabled=true"));
        assertTrue(PinnedCertificate.asksForTls("tcp://head:61616?reconnectAttempts=-1;sslEnabled=TRUE"));
    }

    @Test
    void theTlsUrlTrustsTheStoreAloneAndChecksNoHostName() {
        assertEquals("tcp://head:61616?sslEnabled=true&verifyHost=false&trustStoreType=PKCS12&trustStorePath="
                + "%2Fs%2Fh.p12&trustStorePassword=" + PinnedCertificate.TRUST_STORE_PASSWORD,
                PinnedCertificate.tlsUrl("tcp://head:61616?sslEnabled=true", Path.of("/s/h.p12")));
        assertEquals("tcp://head:1?sslEnabled=true&verifyHost=false&trustStoreType=PKCS12&trustStorePath=%2Fh.p12"
                + "&trustStorePassword=" + PinnedCertificate.TRUST_STORE_PASSWORD,
                PinnedCertificate.tlsUrl("tcp://head:1", Path.of("/h.p12")));
    }

    @Test
    void aClientFileAskingForTlsConnectsTrustingItsCertificateAlone() throws Exception {
        ClientFile plain = new ClientFile("tcp://head:61616", null, null, null, "u", "p", null);
        assertEquals("tcp://head:61616", plain.coreUrl(), "a plain file connects as before");

        ClientFile tls = new ClientFile("tcp://head:61616?sslEnabled=true", null, null, null, "u", "p", null, null,
                null, null, pem);
        String url = tls.coreUrl();
        assertTrue(url.startsWith("tcp://head:61616?sslEnabled=true&verifyHost=false&trustStoreType=PKCS12"), url);
        Path store = Path.of(java.net.URLDecoder.decode(url.replaceAll(".*trustStorePath=([^&]*).*", "$1"),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            trusted.load(in, PinnedCertificate.TRUST_STORE_PASSWORD.toCharArray());
        }
        assertEquals(PinnedCertificate.parse(pem).certificate(), trusted.getCertificate("cadre-head"));
        assertEquals(url, tls.coreUrl(), "one store per certificate and process");

        ClientFile missing = new ClientFile("tcp://head:61616?sslEnabled=true", null, null, null, "u", "p", null);
        IOException e = assertThrows(IOException.class, missing::coreUrl);
        assertTrue(e.getMessage().contains("asks for TLS (sslEnabled=true) but the file has no headCertificate"),
                e.getMessage());
    }

    @Test
    void aClientFileWithABrokenCertificateIsRefusedByName() throws Exception {
        Path file = dir.resolve("client.json");
        Files.writeString(file, "{\"brokerUrl\":\"tcp://h:1?sslEnabled=true\",\"user\":\"u\",\"password\":\"p\","
                + "\"headCertificate\":\"-----BEGIN CERTIFICATE-----\\nnot base64\\n-----END CERTIFICATE-----\\n\"}");
        IOException e = assertThrows(IOException.class, () -> ClientFile.read(file));
        assertTrue(e.getMessage().startsWith(file + " has a headCertificate that is not a PEM X.509 certificate"),
                e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> PinnedCertificate.parse(" "));
        assertEquals("no certificate given", none.getMessage());
    }
}
