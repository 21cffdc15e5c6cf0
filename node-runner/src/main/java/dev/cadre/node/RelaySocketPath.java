package dev.cadre.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node's relay listens ({@link ExecRelay}): {@code exec.sock} in its state directory, or, where that path is
 * too long for a Unix socket, in a private directory named after the state directory under the temporary directory.
 * Either is the same at every start of a runner on that state directory, so the agents of a runner that stopped, or
 * was killed, find the next one and resume their runs (protocol.md 13.9); a jobs' {@code CADRE_EXEC_SOCKET} stays
 * right across the restart too.
 */
record RelaySocketPath(Path socket, Path privateDir) {
    private static final Logger LOG = LoggerFactory.getLogger(RelaySocketPath.class);
    /** sun_path holds 108 bytes with its terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;
    private static final String PRIVATE = "rwx------";

    /**
     * The socket's path for the state directory, its private directory made where it needs one. A private directory
     * found that is not this user's alone (another user made it first, or it is a link) is not used: a temporary
     * directory of another name is, as if the path had no stable place, and the runner says so.
     */
    static RelaySocketPath of(Path stateDir, Path tempRoot) throws IOException {
        Path socket = stateDir.toAbsolutePath().resolve("exec.sock");
        if (fits(socket)) {
            return new RelaySocketPath(socket, null);
        }
        Path dir = tempRoot.resolve("cadre-exec-" + digest(stateDir.toAbsolutePath().toString()));
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(PRIVATE)));
        } catch (FileAlreadyExistsException e) {
            String wrong = notPrivate(dir);
            if (wrong != null) {
                Path other = Files.createTempDirectory(tempRoot, "cadre-exec");
                LOG.warn("exec relay: {} {}; listening in {} instead, where agents cannot find a restarted runner",
                        dir, wrong, other);
                dir = other;
            }
        }
        return new RelaySocketPath(dir.resolve("exec.sock"), dir);
    }

    static boolean fits(Path socket) {
        return socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH;
    }

    /** Why the directory is not this user's private one; null when it is. */
    private static String notPrivate(Path dir) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            return "is not a directory";
        }
        String me = System.getProperty("user.name");
        if (!a.owner().getName().equals(me)) {
            return "belongs to " + a.owner().getName() + ", not to " + me;
        }
        if (!PosixFilePermissions.toString(a.permissions()).equals(PRIVATE)) {
            return "has mode " + PosixFilePermissions.toString(a.permissions()) + ", not " + PRIVATE;
        }
        return null;
    }

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
