package dev.cadre.broker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The head's certificate as its client files carry it (PEM, {@code headCertificate}), and the only one a Cadre client
 * or node trusts: TLS to the head succeeds only with a peer that shows exactly this certificate. Host names are not
 * checked, since the certificate is the head's identity wherever it is found (its name is {@code cadre-head}). Plain
 * JDK, no Jackson: the client commands' short-lived JVMs load it.
 */
public final class PinnedCertificate {
    /** Guards nothing: a trust store of this class holds only the public certificate. */
    public static final String TRUST_STORE_PASSWORD = "cadre-head-certificate";
    /** One trust store file per certificate and process, for Artemis, which reads trust from a file. */
    private static final Map<String, Path> TEMPORARY_STORES = new ConcurrentHashMap<>();

    private final String pem;
    private final X509Certificate certificate;

    private PinnedCertificate(String pem, X509Certificate certificate) {
        this.pem = pem;
        this.certificate = certificate;
    }

    /** @throws IllegalArgumentException when the text is no PEM X.509 certificate, saying why */
    public static PinnedCertificate parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("no certificate given");
        }
        try {
            return new PinnedCertificate(pem, (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate (" + e.getMessage() + ")", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The text it was read from. */
    public String pem() {
        return pem;
    }

    /** A certificate as client files carry it. */
    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the certificate: " + e, e);
        }
    }

    /** TLS that completes a handshake only with a peer showing this very certificate. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ExactTrust(certificate)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM offers no TLS: " + e, e);
        }
    }

    /** Writes a PKCS12 trust store holding the certificate alone (mode 0600), replacing the file whole. */
    public void writeTrustStore(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("cadre-head", certificate);
            trusted.store(out, TRUST_STORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write the trust store " + file + ": " + e, e);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * An Artemis CORE URL that connects over TLS trusting this certificate alone, its trust store at the given file
     * ({@link #writeTrustStore}); host names unchecked, as above.
     *
     * @param url tcp://HOST:PORT, with or without parameters
     */
    public static String tlsUrl(String url, Path trustStore) {
        String withParameters = url.indexOf('?') < 0 ? url + "?" : url + "&";
        return withParameters + (asksForTls(url) ? "" : "sslEnabled=true&") + "verifyHost=false"
                + "&trustStoreType=PKCS12&trustStorePath="
                + URLEncoder.encode(trustStore.toString(), StandardCharsets.UTF_8)
                + "&trustStorePassword=" + TRUST_STORE_PASSWORD;
    }

    /** As {@link #tlsUrl(String, Path)}, with a trust store of this process's own, made once per certificate. */
    public String tlsUrl(String url) throws IOException {
        Path store = TEMPORARY_STORES.get(pem);
        if (store == null) {
            synchronized (TEMPORARY_STORES) {
                store = TEMPORARY_STORES.get(pem);
                if (store == null) {
                    // A file of its own under a random name: nobody else can put another certificate in its place.
                    Path dir = Files.createTempDirectory("cadre-head-", PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                    store = dir.resolve("head-certificate.p12");
                    dir.toFile().deleteOnExit();
                    store.toFile().deleteOnExit();
                    writeTrustStore(store);
                    TEMPORARY_STORES.put(pem, store);
                }
            }
        }
        return tlsUrl(url, store);
    }

    /**
     * An Artemis URL as messages and logs show it: its scheme, host and port, with {@code ?sslEnabled=true} when it
     * asks for TLS. The parameters {@link #tlsUrl} adds (a trust store's path and password) and any others stay out.
     */
    public static String shown(String url) {
        if (url == null) {
            return null;
        }
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + (asksForTls(url) ? "?sslEnabled=true" : "");
    }

    /** Whether an Artemis URL asks for TLS ({@code sslEnabled=true} among its parameters). */
    public static boolean asksForTls(String url) {
        int query = url == null ? -1 : url.indexOf('?');
        if (query < 0) {
            return false;
        }
        for (String parameter : url.substring(query + 1).split("[&;]")) {
            if (parameter.toLowerCase(Locale.ROOT).equals("sslenabled=true")) {
                return true;
            }
        }
        return false;
    }

    /** The pinning itself: the peer's own certificate must be this one; no chain, no name, no CA. */
    private static final class ExactTrust extends X509ExtendedTrustManager {
        private final X509Certificate pinned;

        ExactTrust(X509Certificate pinned) {
            this.pinned = pinned;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0 || !chain[0].equals(pinned)) {
                throw new CertificateException("the peer's certificate ("
                        + (chain == null || chain.length == 0 ? "none" : chain[0].getSubjectX500Principal())
                        + ") is not the head's pinned certificate");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client's trust is for servers only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client's trust is for servers only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client's trust is for servers only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {pinned};
        }
    }
}
