package dev.cadre.cli;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.ClientFile;
import dev.cadre.broker.Credentials;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a remote node reaches its head. With the head's certificate in node.json, only over TLS to the node port that
 * node.json names, on the host found over mDNS or given by --server, trusting that one certificate: a broker that
 * cannot show it is refused before the node's credentials are sent, so a fake head announced on the link gets
 * neither the node's passwords nor the node. A node.json without the certificate (from an older head) connects as
 * before, to the URL as given, unauthenticated.
 */
final class HeadLink implements HeadFollower.Connect {
    private static final Logger LOG = LoggerFactory.getLogger(HeadLink.class);
    /** Written at each start from node.json, in the node's private state directory. */
    static final String TRUST_STORE = "head-certificate.p12";
    /** Guards nothing: the store holds only the public certificate, and is made anew from node.json each start. */
    private static final String TRUST_STORE_PASSWORD = "cadre-head-certificate";
    private static final int PROBE_TIMEOUT_MILLIS = 10_000;

    private final Credentials credentials;
    /** Null for a node.json without the head's certificate. */
    private final Pin pin;

    private record Pin(int port, Path trustStore, SSLContext context) {
    }

    private HeadLink(Credentials credentials, Pin pin) {
        this.credentials = credentials;
        this.pin = pin;
    }

    /**
     * @param nodeFile the node's node.json, as read
     * @param source where it was read, for errors
     * @throws IOException when node.json's certificate or port is unusable, naming the field
     */
    static HeadLink of(ClientFile nodeFile, Path source, Path stateDir) throws IOException {
        if (nodeFile.headCertificate() == null) {
            LOG.warn("{} has no head certificate (it was written by an older head): the head is not authenticated,"
                    + " and any broker announced for the cluster that accepts this node's login gets its passwords"
                    + " and may run jobs on it; copy the node.json of a current head here", source);
            return new HeadLink(nodeFile.credentials(), null);
        }
        if (nodeFile.nodePort() == null || nodeFile.nodePort() < 1 || nodeFile.nodePort() > 65535) {
            throw new IOException(source + " has a headCertificate but no valid nodePort (" + nodeFile.nodePort()
                    + "); copy the node.json of the head again");
        }
        X509Certificate certificate;
        KeyStore trusted;
        SSLContext context;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(nodeFile.headCertificate().getBytes(StandardCharsets.US_ASCII)));
            trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("cadre-head", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
        } catch (GeneralSecurityException | IOException | ClassCastException e) {
            throw new IOException(source + " has a headCertificate that is not a PEM X.509 certificate (" + e
                    + "); copy the node.json of the head again", e);
        }
        Path store = stateDir.resolve(TRUST_STORE);
        Path tmp = stateDir.resolve(TRUST_STORE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            trusted.store(out, TRUST_STORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + store + ": " + e, e);
        }
        Files.move(tmp, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new HeadLink(nodeFile.credentials(), new Pin(nodeFile.nodePort(), store, context));
    }

    /** Whether this node authenticates its head. */
    boolean pinned() {
        return pin != null;
    }

    @Override
    public Connection open(String url, String source) throws JMSException {
        if (pin != null) {
            requireHeadCertificate(url, source);
        }
        return BrokerConnections.open(wireUrl(url), credentials, "node, head " + source);
    }

    /**
     * The URL the node's connections use for the head announced (or given) at this URL: its host, node.json's port,
     * TLS trusting only the pinned certificate. Host names are not verified: the certificate is the head's identity,
     * whatever address it is found at (mDNS gives an address, and a head's certificate names no host).
     */
    @Override
    public String wireUrl(String url) {
        if (pin == null) {
            return url;
        }
        URI given = URI.create(url);
        return "tcp://" + given.getHost() + ":" + pin.port() + "?sslEnabled=true&verifyHost=false"
                + "&trustStoreType=PKCS12&trustStorePath="
                + URLEncoder.encode(pin.trustStore().toString(), StandardCharsets.UTF_8)
                + "&trustStorePassword=" + TRUST_STORE_PASSWORD;
    }

    /**
     * A TLS handshake with the pinned certificate alone trusted, before Artemis is given the credentials. Artemis'
     * own connection trusts nothing else either, so this is not what keeps the passwords safe; it is what lets the
     * node say why it refuses a broker, which Artemis reports only as a failed connection. A host that does not
     * answer is left to Artemis, which retries and reports it as it does without TLS.
     */
    private void requireHeadCertificate(String url, String source) throws JMSException {
        URI given = URI.create(url);
        String host = given.getHost();
        String address = host + ":" + pin.port();
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, pin.port()), PROBE_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(plain);
            return;
        }
        // No endpoint identification algorithm is set, so the host name is not checked: see wireUrl.
        try (SSLSocket tls = (SSLSocket) pin.context().getSocketFactory().createSocket(plain, host, pin.port(),
                true)) {
            tls.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            tls.startHandshake();
        } catch (IOException e) {
            String why = "the broker at " + address + " (node.json's node port, on the host " + source + ") did not"
                    + " present the head's certificate from node.json; not sending credentials (" + e.getMessage() + ")";
            throw new JMSSecurityException(why);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing was sent on it
        }
    }
}
