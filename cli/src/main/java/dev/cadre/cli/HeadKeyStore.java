package dev.cadre.cli;

import dev.cadre.broker.ClientFile;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The head's key pair and self-signed certificate, for its TLS listener for nodes: made at the first start, kept in
 * the data directory (PKCS12, mode 0600, its password in secrets.json) and used at every start after, since every
 * node.json pins the certificate. Made by the JDK's own keytool, so no library is needed for it.
 */
record HeadKeyStore(Path file, String password, X509Certificate certificate) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HeadKeyStore.class);
    static final String FILE = "node-tls.p12";
    private static final String ALIAS = "cadre-head";
    /** The certificate is pinned, never checked against a CA; a lifetime past any head's spares nodes an expiry. */
    private static final int VALIDITY_DAYS = 36_500;
    private static final String PASSWORD_VARIABLE = "CADRE_KEY_STORE_PASSWORD";

    static HeadKeyStore loadOrCreate(Path dataDir, String password) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            // node.json pins the certificate, so its presence says this is not the first start: the old key is lost.
            if (Files.exists(dataDir.resolve(ClientFile.NODE_FILE))) {
                LOG.warn("{} is missing, though {} shows the head has started before: making a new key and"
                        + " certificate. Every node refuses this head until it gets the new {} (copy it to each"
                        + " node and restart 'cadre node'); or stop the head and restore {} from a backup",
                        file, ClientFile.NODE_FILE, ClientFile.NODE_FILE, FILE);
            }
            create(file, password);
        }
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException(file + " cannot be opened with the password in " + HeadSecrets.FILE + " (" + e
                    + "); restore both from the same backup, or remove " + FILE + " to make a new key (every node"
                    + " then needs the new node.json)", e);
        }
        try {
            if (store.getCertificate(ALIAS) instanceof X509Certificate certificate && store.isKeyEntry(ALIAS)) {
                return new HeadKeyStore(file, password, certificate);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": " + e, e);
        }
        throw new IOException(file + " holds no key '" + ALIAS + "'; restore it from the backup, or remove it to"
                + " make a new one (every node then needs the new node.json)");
    }

    /** The certificate as PEM, as node.json carries it. */
    String pem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the head's certificate: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "HeadKeyStore[" + file + "]";
    }

    /** Written beside its final place, in the private data directory, and moved there once whole. */
    private static void create(Path file, String password) throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity",
                Integer.toString(VALIDITY_DAYS), "-dname", "CN=cadre-head", "-storetype", "PKCS12", "-keystore",
                tmp.toString(), "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE, "-noprompt"));
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
    }
}
