package dev.cadre.cli;

import dev.cadre.broker.PinnedCertificate;
import dev.cadre.broker.TlsMismatch;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The client commands' TLS to a head started with --client-tls: it trusts the client file's headCertificate alone,
 * checked in the handshake, before the request (and its token) is sent.
 */
final class HeadTls {
    private final SSLSocketFactory sockets;
    private final Path file;

    private HeadTls(SSLSocketFactory sockets, Path file) {
        this.sockets = sockets;
        this.file = file;
    }

    /** @param certificate the client file's headCertificate, null when it has none */
    static HeadTls of(String certificate, Path file) throws RestClient.ClientException {
        if (certificate == null) {
            throw new RestClient.ClientException(0, "client file " + file + ": httpUrl is https but the file has no"
                    + " headCertificate; copy the client.json of the head again");
        }
        try {
            return new HeadTls(PinnedCertificate.parse(certificate).sslContext().getSocketFactory(), file);
        } catch (IllegalArgumentException e) {
            throw new RestClient.ClientException(0, "client file " + file + " has a headCertificate that is "
                    + e.getMessage() + "; copy the client.json of the head again");
        }
    }

    /** TLS over the connected socket; a head that does not show the certificate has been sent nothing. */
    Socket handshake(Socket plain, String host, int port, String httpUrl) throws IOException,
            RestClient.ClientException {
        SSLSocket secure = (SSLSocket) sockets.createSocket(plain, host, port, true);
        try {
            secure.startHandshake();
        } catch (SSLException e) {
            String mismatch = TlsMismatch.find(httpUrl, true, file);
            if (mismatch != null) {
                throw new RestClient.ClientException(0, mismatch, null, RestClient.Answer.WRONG_TLS);
            }
            throw new RestClient.ClientException(0, "no TLS with Cadre at " + httpUrl + ": it did not show the"
                    + " headCertificate of " + file + ", or speaks no TLS (" + e.getMessage() + ")", null,
                    RestClient.Answer.NOT_REACHED);
        }
        return secure;
    }
}
