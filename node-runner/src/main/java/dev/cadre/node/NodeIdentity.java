package dev.cadre.node;

import dev.cadre.db.Database;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's id: made once, kept in the state directory, so it survives restarts of the node-runner. Beside it
 * lies the fingerprint of the machine and directory it was made for; a state directory copied to another
 * machine (or another directory) no longer matches, and gets a new id instead of colliding with the original.
 */
public final class NodeIdentity {
    static final String FILE = "node-id";
    static final String FINGERPRINT_FILE = "node-fingerprint";
    /** What the state directory is called in messages. */
    public static final String STATE_DIRECTORY = "the node's state directory";
    private static final Logger LOG = LoggerFactory.getLogger(NodeIdentity.class);

    private NodeIdentity() {
    }

    /**
     * The node's id, from its state directory. This is the first thing a node-runner does with the directory, so it
     * is also where the directory is checked ({@link PrivateDirectory}: a node runs what it holds) and where the
     * output and outcome records' SQLite file is made owner-only before it is first opened.
     */
    public static String loadOrCreate(Path stateDir, String hostname) throws IOException {
        PrivateDirectory.prepare(stateDir, STATE_DIRECTORY, null);
        Database.ownerOnly(stateDir.resolve(AttemptRecordStore.FILE));
        return loadOrCreate(stateDir, hostname, machineFingerprint(stateDir));
    }

    static String loadOrCreate(Path stateDir, String hostname, String fingerprint) throws IOException {
        Path file = stateDir.resolve(FILE);
        Path fingerprintFile = stateDir.resolve(FINGERPRINT_FILE);
        String id = Files.exists(file) ? Files.readString(file).trim() : "";
        if (!id.isEmpty()) {
            if (!Files.exists(fingerprintFile)) {
                // Made before fingerprints existed: it is this machine's, the first one to see it.
                Files.writeString(fingerprintFile, fingerprint + "\n");
                return id;
            }
            if (Files.readString(fingerprintFile).trim().equals(fingerprint)) {
                return id;
            }
            LOG.warn("state directory {} holds node id {} of another machine or directory; minting a new id",
                    stateDir, id);
        }
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        String fresh = hostname.replaceAll("[^A-Za-z0-9-]", "-") + "-" + HexFormat.of().formatHex(suffix);
        Files.createDirectories(stateDir);
        // The fingerprint first: a crash between the writes leaves an id without one, which is adopted.
        Files.writeString(fingerprintFile, fingerprint + "\n");
        Files.writeString(file, fresh + "\n");
        return fresh;
    }

    /** A hash of the host name, /etc/machine-id (where readable) and the state directory's real path. */
    static String machineFingerprint(Path stateDir) throws IOException {
        Path machineId = Path.of("/etc/machine-id");
        String machine = Files.isReadable(machineId) ? Files.readString(machineId).trim() : "";
        // The kernel's name, unlike InetAddress's, needs no working name resolution.
        Path kernelName = Path.of("/proc/sys/kernel/hostname");
        String host = Files.isReadable(kernelName) ? Files.readString(kernelName).trim() : hostname();
        return fingerprint(host, machine, stateDir.toRealPath().toString());
    }

    static String fingerprint(String hostname, String machineId, String realStateDir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String text = "host=" + hostname + "\nmachine-id=" + machineId + "\nstate-dir=" + realStateDir + "\n";
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    public static String hostname() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot > 0 ? h.substring(0, dot) : h;
        } catch (IOException e) {
            return "localhost";
        }
    }
}
