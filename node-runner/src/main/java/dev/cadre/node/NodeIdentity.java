package dev.cadre.node;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.security.SecureRandom;

/** A node's id: made once, kept in the state directory, so it survives restarts of the node-runner. */
public final class NodeIdentity {
    static final String FILE = "node-id";

    private NodeIdentity() {
    }

    public static String loadOrCreate(Path stateDir, String hostname) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (Files.exists(file)) {
            String id = Files.readString(file).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        String id = hostname.replaceAll("[^A-Za-z0-9-]", "-") + "-" + HexFormat.of().formatHex(suffix);
        Files.createDirectories(stateDir);
        Files.writeString(file, id + "\n");
        return id;
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
