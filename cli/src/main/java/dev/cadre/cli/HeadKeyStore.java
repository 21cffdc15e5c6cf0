package dev.cadre.cli;

import dev.cadre.broker.ClientFile;
import dev.cadre.broker.PinnedCertificate;
import dev.cadre.broker.TlsKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * The head's key pair and self-signed certificate, for its TLS listeners (the node port; with --client-tls also the
 * client ports and HTTPS): made at the first start, kept in
 * the data directory (PKCS12, mode 0600, its password in secrets.json) and used at every start after, since every
 * node.json pins the certificate. Made by {@link TlsKeyStore#create}.
 */
record HeadKeyStore(Path file, String password, X509Certificate certificate) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HeadKeyStore.class);
    static final String FILE = "node-tls.p12";
    private static final String ALIAS = TlsKeyStore.ALIAS;

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
            TlsKeyStore.create(file, password);
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

    /** The certificate as PEM, as node.json (and with --client-tls client.json) carries it. */
    String pem() {
        return PinnedCertificate.pem(certificate);
    }

    @Override
    public String toString() {
        return "HeadKeyStore[" + file + "]";
    }
}
