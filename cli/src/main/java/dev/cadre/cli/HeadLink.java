package dev.cadre.cli;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.ClientFile;
import dev.cadre.broker.Credentials;
import dev.cadre.broker.PinnedCertificate;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
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
        PinnedCertificate certificate;
        try {
            certificate = PinnedCertificate.parse(nodeFile.headCertificate());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + " has a headCertificate that is " + e.getMessage()
                    + "; copy the node.json of the head again", e);
        }
        Path store = stateDir.resolve(TRUST_STORE);
        certificate.writeTrustStore(store);
        return new HeadLink(nodeFile.credentials(), new Pin(nodeFile.nodePort(), store, certificate.sslContext()));
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
        return PinnedCertificate.tlsUrl("tcp://" + given.getHost() + ":" + pin.port(), pin.trustStore());
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
