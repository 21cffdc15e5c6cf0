package dev.cadre.broker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Whether a head's listener and a client file disagree on TLS. A head started with --client-tls speaks TLS alone on
 * every client port and one started without it none, so an old client.json (plain URLs) against a TLS head, or a TLS
 * one against a plain head, otherwise fails as a connection that breaks or stays silent: a client takes that for a
 * head that is away, waits and tries again, and says only that it could not connect. Asked after such a failure, or
 * beside a connect, this looks at the listener itself, in two ways that together tell TLS from plain and say nothing
 * when the listener does not tell (away, full, slow):
 * <ul>
 * <li>a TLS ClientHello: a TLS listener answers with a TLS record, a plain one with anything else or by hanging up;
 * <li>five bytes no TLS record begins with, the start of a CORE handshake or an HTTP method: a TLS listener hangs up at
 * once (Jetty's with a TLS alert first), a plain one waits for the rest, and logs nothing when it never comes.
 * </ul>
 * Plain JDK: the client commands' short JVMs use it.
 */
public final class TlsMismatch {
    /** How long a look waits to connect, and for a TLS answer. */
    static final int LOOK_MILLIS = 2_000;
    /** How long a listener given the plain bytes has to hang up; a TLS one does within milliseconds. */
    static final int HANG_UP_MILLIS = 300;
    private static final byte[] PLAIN_BYTES = "ARTEM".getBytes(StandardCharsets.US_ASCII);
    private static final int TLS_ALERT = 0x15;
    private static final int TLS_HANDSHAKE = 0x16;

    private TlsMismatch() {
    }

    /**
     * The words for a user whose client file asks for TLS where the head's listener speaks none, or the other way
     * round; null when they agree, or when the listener does not tell.
     *
     * @param url the URL the file names (the broker's or the REST API's), as messages may show it: no secrets in it
     * @param fileAsksForTls whether the file asks for TLS there (sslEnabled=true, https)
     * @param file the client file, for the words; null when unknown
     */
    public static String find(String url, boolean fileAsksForTls, Object file) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            return null;
        }
        String host = uri.getHost();
        int port = uri.getPort();
        String theFile = file == null ? "the client file" : "the client file " + file;
        if (fileAsksForTls) {
            if (answersTls(host, port) == Boolean.FALSE && hangsUpOnPlainBytes(host, port) == Boolean.FALSE) {
                return "the head at " + url + " answered without TLS (it runs without --client-tls), but " + theFile
                        + " is for TLS; take the head's new client.json";
            }
        } else if (hangsUpOnPlainBytes(host, port) == Boolean.TRUE && answersTls(host, port) == Boolean.TRUE) {
            return "the head at " + url + " answered with TLS (it runs with --client-tls), but " + theFile
                    + " is for plain connections; take the head's new client.json";
        }
        return null;
    }

    /**
     * Starts {@link #find} on a thread of its own beside a connect that may wait long for a head that disagrees: a
     * mismatch found before the connect ends runs abort, which is to end the connect at once.
     */
    static Look beside(String url, boolean fileAsksForTls, Object file, Runnable abort) {
        Look look = new Look(abort);
        Thread thread = new Thread(() -> look.found(find(url, fileAsksForTls, file)), "cadre-tls-look");
        thread.setDaemon(true);
        thread.start();
        return look;
    }

    /** A look running beside a connect; whichever ends first, the connect or a mismatch found, decides. */
    static final class Look {
        private final Runnable abort;
        private boolean done;
        private boolean connected;
        private String mismatch;

        private Look(Runnable abort) {
            this.abort = abort;
        }

        private void found(String words) {
            synchronized (this) {
                done = true;
                if (words == null || connected) {
                    notifyAll();
                    return;
                }
                mismatch = words;
                notifyAll();
            }
            abort.run();
        }

        /** The connect succeeded: a mismatch found later changes nothing. */
        synchronized void connected() {
            connected = true;
        }

        /**
         * The connect failed: the mismatch the look found, or finds within the wait (it is then the reason), or null.
         */
        synchronized String mismatch(long waitMillis) throws InterruptedException {
            long end = System.nanoTime() + waitMillis * 1_000_000;
            while (!done) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                wait(left);
            }
            return mismatch;
        }
    }

    /** TRUE when the listener answers a ClientHello with a TLS record, FALSE when not, null when it cannot tell. */
    static Boolean answersTls(String host, int port) {
        byte[] hello;
        try {
            hello = clientHello(host, port);
        } catch (IOException e) {
            return null;
        }
        Reply reply = replyTo(hello, host, port, LOOK_MILLIS);
        return reply == null || reply.silent() ? null
                : (reply.first() == TLS_HANDSHAKE || reply.first() == TLS_ALERT) && reply.second() == 3;
    }

    /** TRUE when the listener hangs up at once on bytes no TLS record begins with, FALSE when it waits for more. */
    static Boolean hangsUpOnPlainBytes(String host, int port) {
        Reply reply = replyTo(PLAIN_BYTES, host, port, HANG_UP_MILLIS);
        return reply == null ? null : !reply.silent() && (reply.first() < 0 || reply.first() == TLS_ALERT);
    }

    /** What a listener sent back first: its first two bytes, -1 where it hung up (or reset), or nothing in time. */
    private record Reply(boolean silent, int first, int second) {
    }

    /** The listener's reply to the bytes; null when it cannot be reached. */
    private static Reply replyTo(byte[] sent, String host, int port, int waitMillis) {
        try (Socket socket = connected(host, port)) {
            if (socket == null) {
                return null;
            }
            socket.setSoTimeout(waitMillis);
            try {
                socket.getOutputStream().write(sent);
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                int first = in.read();
                return new Reply(false, first, first < 0 ? -1 : in.read());
            } catch (SocketTimeoutException e) {
                return new Reply(true, -1, -1);
            } catch (IOException e) {
                // A reset: the listener hung up without reading all that was sent.
                return new Reply(false, -1, -1);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static Socket connected(String host, int port) throws IOException {
        Socket socket = new Socket(Proxy.NO_PROXY);
        try {
            socket.connect(new InetSocketAddress(host, port), LOOK_MILLIS);
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException e) {
            socket.close();
            return null;
        }
    }

    /** A client's first TLS flight, which no server can complete: this trusts no certificate. */
    private static byte[] clientHello(String host, int port) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingNothing()}, null);
            SSLEngine engine = context.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            return Arrays.copyOf(out.array(), out.position());
        } catch (GeneralSecurityException e) {
            throw new IOException("this JVM offers no TLS: " + e, e);
        }
    }

    private static final class TrustingNothing implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a look at a listener trusts nobody");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a look at a listener trusts nobody");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
