package dev.cadre.broker;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cadre.protocol.MessageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * What a client needs to reach Cadre: URLs and credentials. Written by the head at first start with mode
 * 0600; found through --config, CADRE_CONFIG, or the default data directory.
 *
 * @param token the REST API's bearer token
 * @param execUser in a node's file: the account that the node gives its jobs' remote-exec agent
 * @param nodePort in a node's file: the head's TLS listener for nodes
 * @param headCertificate in a node's file: the head's certificate (PEM), the only one its nodes trust on that port;
 *        in a client file of a head started with --client-tls: the only certificate its clients trust on the client
 *        ports, whose URLs then ask for TLS (brokerUrl's sslEnabled=true, amqps, stomp+ssl, https)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientFile(String brokerUrl, String amqpUrl, String stompUrl, String httpUrl, String user,
        String password, String token, String execUser, String execPassword, Integer nodePort,
        String headCertificate) {

    public ClientFile(String brokerUrl, String amqpUrl, String stompUrl, String httpUrl, String user,
            String password, String token, String execUser, String execPassword) {
        this(brokerUrl, amqpUrl, stompUrl, httpUrl, user, password, token, execUser, execPassword, null, null);
    }

    public ClientFile(String brokerUrl, String amqpUrl, String stompUrl, String httpUrl, String user,
            String password, String token) {
        this(brokerUrl, amqpUrl, stompUrl, httpUrl, user, password, token, null, null);
    }

    /** The remote-exec agent's account, when this is a node's file written by a head that has one. */
    public Credentials execCredentials() {
        return execUser == null || execPassword == null ? null : new Credentials(execUser, execPassword);
    }

    /**
     * The URL a Cadre client connects to the broker with: brokerUrl as it is, or, when it asks for TLS, over TLS
     * trusting headCertificate alone (its trust store a file of this process's own).
     */
    public String coreUrl() throws IOException {
        if (!PinnedCertificate.asksForTls(brokerUrl)) {
            return brokerUrl;
        }
        if (headCertificate == null) {
            throw new IOException("the client file's brokerUrl asks for TLS (sslEnabled=true) but the file has no"
                    + " headCertificate; copy the client.json of the head again");
        }
        return PinnedCertificate.parse(headCertificate).tlsUrl(brokerUrl);
    }

    public static final String CLIENT_FILE = "client.json";
    /** Credentials of the node role; kept apart so that submitters cannot act as nodes. */
    public static final String NODE_FILE = "node.json";
    public static final String ENV = "CADRE_CONFIG";

    public Credentials credentials() {
        return new Credentials(user, password);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static ClientFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no Cadre client file at " + file
                    + " (start the head with 'cadre up', or pass --config FILE or set " + ENV + ")");
        }
        try {
            ClientFile f = MessageCodec.mapper().readValue(file.toFile(), ClientFile.class);
            if (f.user() == null || f.password() == null) {
                throw new IOException("client file " + file + " has no user or password");
            }
            if (f.headCertificate() != null) {
                try {
                    PinnedCertificate.parse(f.headCertificate());
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " has a headCertificate that is " + e.getMessage()
                            + "; copy the file from the head again", e);
                }
            }
            return f;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("client file " + file + " is not valid: " + e.getOriginalMessage(), e);
        }
    }

    /** The default data directory: $CADRE_HOME, else ~/.cadre. */
    public static Path defaultDataDir(Map<String, String> env) {
        String home = env.get("CADRE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".cadre");
    }

    /** Which client file to use: the explicit one, then $CADRE_CONFIG, then the default data directory's. */
    public static Path locate(String explicit, Map<String, String> env, String fileName) {
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return defaultDataDir(env).resolve(fileName);
    }
}
