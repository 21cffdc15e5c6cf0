package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client file whose https httpUrl comes without a usable certificate is refused by name, before any request. */
class HeadTlsTest {
    @TempDir
    Path dir;

    @Test
    void anHttpsUrlNeedsTheHeadsCertificate() throws Exception {
        Path file = Files.writeString(dir.resolve("client.json"),
                "{\"httpUrl\":\"https://127.0.0.1:1\",\"token\":\"t\"}");
        RestClient.ClientException none = assertThrows(RestClient.ClientException.class,
                () -> RestClient.fromConfig(file.toString()));
        assertEquals("client file " + file + ": httpUrl is https but the file has no headCertificate; copy the"
                + " client.json of the head again", none.getMessage());
        Files.writeString(file, "{\"httpUrl\":\"https://127.0.0.1:1\",\"token\":\"t\",\"headCertificate\":\"x\"}");
        RestClient.ClientException broken = assertThrows(RestClient.ClientException.class,
                () -> RestClient.fromConfig(file.toString()));
        assertTrue(broken.getMessage().startsWith("client file " + file + " has a headCertificate that is"
                + " not a PEM X.509 certificate"), broken.getMessage());
        Files.writeString(file, "{\"httpUrl\":\"ftp://127.0.0.1:1\",\"token\":\"t\"}");
        assertEquals("client file " + file + ": httpUrl must be http://HOST:PORT or https://HOST:PORT, not"
                + " 'ftp://127.0.0.1:1'", assertThrows(RestClient.ClientException.class,
                () -> RestClient.fromConfig(file.toString())).getMessage());
    }
}
