package dev.cadre.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;

/**
 * The head's key and certificate (a PKCS12 key store and its password), as a listener serves them: the node port
 * always, and the client ports and the web server with {@code --client-tls}.
 */
public record TlsKeyStore(Path file, String password) {
    /** The key's name in the store. */
    public static final String ALIAS = "cadre-head";
    /** The certificate is pinned, never checked against a CA; a lifetime past any head's spares nodes an expiry. */
    private static final int VALIDITY_DAYS = 36_500;
    private static final String PASSWORD_VARIABLE = "CADRE_KEY_STORE_PASSWORD";

    public TlsKeyStore {
        if (file == null || password == null) {
            throw new IllegalArgumentException("a TLS listener needs the key store's file and password");
        }
    }

    /** The certificate this key store's listeners show, as their clients pin it. */
    public PinnedCertificate certificate() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            if (store.getCertificate(ALIAS) instanceof X509Certificate certificate) {
                return PinnedCertificate.parse(PinnedCertificate.pem(certificate));
            }
            throw new IOException(file + " holds no certificate '" + ALIAS + "'");
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " cannot be read: " + e, e);
        }
    }

    /** An Artemis acceptor's TLS parameters; kept out of its URL, so that nothing that prints it shows the password. */
    Map<String, Object> acceptorParams() {
        return Map.of(TransportConstants.SSL_ENABLED_PROP_NAME, true,
                TransportConstants.KEYSTORE_TYPE_PROP_NAME, "PKCS12",
                TransportConstants.KEYSTORE_PATH_PROP_NAME, file.toString(),
                TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, password);
    }

    @Override
    public String toString() {
        return "TlsKeyStore[" + file + "]";
    }

    /**
     * Makes a key pair and its self-signed certificate (EC P-256, named {@code CN=cadre-head}, no host names: its
     * holders pin it) with the JDK's own keytool, so no library is needed for it; written beside its final place
     * (in a private directory) and moved there once whole, mode 0600.
     */
    public static TlsKeyStore create(Path file, String password) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity",
                Integer.toString(VALIDITY_DAYS), "-dname", "CN=cadre-head", "-storetype", "PKCS12", "-keystore",
                tmp.toString(), "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE, "-noprompt");
        // The password goes through the environment: a command line is readable by every user in ps.
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put(PASSWORD_VARIABLE, password);
        Process p = pb.start();
        p.getOutputStream().close();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not make the head's key within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made the head's key", e);
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
            Files.deleteIfExists(tmp);
            throw new IOException("keytool (" + keytool + ") could not make the head's key, exit " + p.exitValue()
                    + ": " + output);
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return new TlsKeyStore(file, password);
    }
}
