package dev.cadre.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where a node keeps its attempt directories (the {@code jobs} directory: claim, status, script and hostfile of
 * each running attempt). They only matter while their jobs' processes live, which a reboot ends, so they belong on
 * a RAM file system, as containerd keeps its task state under /run: creating and removing five files per job there
 * costs the node a fraction of what it costs on a disk (docs/benchmarks.md). What must outlive a reboot (node id,
 * attempt outcomes, output records) stays in the state directory.
 *
 * @param dir the node's runtime directory; its attempt directories are in {@link #jobs()}
 * @param reason why this one, for the log
 */
public record RuntimeDirectory(Path dir, String reason) {
    /** Shared RAM file systems tried in order when none is configured. */
    static final List<Path> RAM_BASES = List.of(Path.of("/run"), Path.of("/dev/shm"));

    public RuntimeDirectory {
        dir = dir.toAbsolutePath().normalize();
    }

    public Path jobs() {
        return dir.resolve("jobs");
    }

    /** The exec service's records of remote commands and of attempts held for other nodes' jobs (ExecRecords). */
    public Path exec() {
        return dir.resolve("exec");
    }

    /**
     * The rule, apart from the file system it looks at.
     *
     * @param configured the operator's choice ({@code --runtime-dir}), taken as is
     * @param root whether the node runs as root: only then is a shared RAM file system used unasked, because
     *        logind removes a login user's files under /dev/shm when the user's last session ends, jobs running or not
     * @param fileSystemType the type ("tmpfs") of an existing directory this process may write to, empty otherwise
     */
    static RuntimeDirectory choose(Path stateDir, Optional<Path> configured, boolean root,
            Function<Path, Optional<String>> fileSystemType, boolean stateDirHoldsAttempts) {
        if (configured.isPresent()) {
            return new RuntimeDirectory(configured.get(), "configured");
        }
        if (stateDirHoldsAttempts) {
            // Attempts started before the runtime directory moved: the restarted node must find them where they are.
            return new RuntimeDirectory(stateDir, "the state directory still holds attempts");
        }
        if (root) {
            for (Path base : RAM_BASES) {
                if (fileSystemType.apply(base).filter("tmpfs"::equals).isPresent()) {
                    return new RuntimeDirectory(base.resolve("cadre").resolve(nameFor(stateDir)),
                            base + " is a RAM file system");
                }
            }
            return new RuntimeDirectory(stateDir, "no RAM file system at " + RAM_BASES);
        }
        return new RuntimeDirectory(stateDir, "not root, and none configured (--runtime-dir)");
    }

    /** The rule applied to this machine. */
    public static RuntimeDirectory choose(Path stateDir, Optional<Path> configured) throws IOException {
        boolean root = PrivateDirectory.processUid() == 0;
        return choose(stateDir, configured, root, RuntimeDirectory::writableFileSystemType,
                holdsAttempts(stateDir.resolve("jobs")) || holdsAttempts(stateDir.resolve("exec")));
    }

    /**
     * Creates the directory (owner only) and makes sure nobody else controls it ({@link PrivateDirectory}): /dev/shm
     * is writable by every user and the name is predictable, so a directory or link planted there by another user
     * would otherwise receive a root node's job scripts. Refuses, naming the problem, rather than use such a directory.
     */
    void prepare(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        if (dir.equals(stateDir.toAbsolutePath().normalize())) {
            return;
        }
        Path parent = dir.getParent();
        // The rule's choice sits in a shared cadre/ of a world-writable base: that one is checked too.
        boolean inSharedBase = parent != null && parent.endsWith("cadre") && RAM_BASES.contains(parent.getParent());
        for (Path p : inSharedBase ? List.of(parent, dir) : List.of(dir)) {
            PrivateDirectory.prepare(p, "the runtime directory", "--runtime-dir");
        }
    }

    /** A restarted node must find the same directory: it is named after the state directory, which names the node. */
    static String nameFor(Path stateDir) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    stateDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return "node-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Optional<String> writableFileSystemType(Path dir) {
        try {
            return Files.isDirectory(dir) && Files.isWritable(dir) ? Optional.of(Files.getFileStore(dir).type())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean holdsAttempts(Path jobs) throws IOException {
        if (!Files.isDirectory(jobs)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(jobs)) {
            return entries.findAny().isPresent();
        }
    }

    /**
     * Removes the jobs and exec directories and the runtime directory when nothing is left in them, so a node that
     * stopped with no job running leaves nothing behind in a shared RAM file system. Never the state directory.
     */
    void removeIfEmpty(Path stateDir) {
        if (dir.equals(stateDir.toAbsolutePath().normalize())) {
            return;
        }
        for (Path p : List.of(exec(), jobs(), dir)) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException stillInUse) {
                // The exec directory may hold records while the jobs one is empty, and the other way round.
                if (p.equals(dir)) {
                    return;
                }
            }
        }
    }
}
