package dev.cadre.node;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule for every directory Cadre keeps its own files in: the head's data directory, a node's state and runtime
 * directories and the launcher's {@code bin}. They hold job specs (users' environments), credentials, and programs a
 * root node runs, so the directory must belong to the user Cadre runs as and nobody else may write to it: another
 * user who could would plant a database of jobs, a launcher or secrets, and have them run or trusted as this user.
 * Such a directory (or a link to one, or another user's link) is refused, naming why; one that passes is made owner-only (0700), so
 * that files written with the umask (the broker's journal, SQLite's) are not readable through it either.
 */
public final class PrivateDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateDirectory.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /** A directory that breaks the rule: the message names it, why, and what to do. */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private PrivateDirectory() {
    }

    /**
     * Creates {@code dir} owner-only (its missing parents with the umask, as before), or checks the existing one and
     * takes other users' read and search access away.
     *
     * @param what what the directory is, for the message ("the data directory")
     * @param option the option that chooses another, for the message ("--data-dir"); null where there is none
     * @return the directory, absolute
     * @throws Refused when it is not a directory, belongs to another user, or others may write to it, or is a link
     *     that another user made or that leads to such a directory
     */
    public static Path prepare(Path dir, String what, String option) throws IOException {
        Path p = dir.toAbsolutePath().normalize();
        boolean created = false;
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(DIRECTORY));
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // checked below like any existing one
            }
        }
        String problem = problemWith(p, processUid());
        if (problem != null) {
            throw new Refused(what + " " + p + " " + problem
                    + (option == null ? "" : "; or choose another with " + option));
        }
        Path real = p.toRealPath();
        int mode = mode(real);
        if ((mode & 0777) != 0700) {
            // Whatever the umask: 0700 exactly, so the owner can also still use it.
            Files.setPosixFilePermissions(real, DIRECTORY);
            if (!created) {
                LOG.info("{} {}: mode {} tightened to 700, so that only its owner reads what Cadre keeps there", what,
                        p, Integer.toOctalString(mode & 07777));
            }
        }
        return p;
    }

    /**
     * Why {@code p} may not hold Cadre's files for a process of {@code uid}, or null when it may.
     */
    static String problemWith(Path p, int uid) throws IOException {
        if (Files.isSymbolicLink(p)) {
            // ~/.cadre leading to another disk is common; a link someone else made (in /tmp, say) leads where they
            // chose, and a link is only as safe as the directory it leads to.
            int linkOwner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (linkOwner != uid && linkOwner != 0) {
                return "is a symbolic link that belongs to uid " + linkOwner + ", not to uid " + uid
                        + " that Cadre runs as; give the directory it leads to once you have checked it";
            }
            Path target;
            try {
                target = p.toRealPath();
            } catch (IOException e) {
                return "is a symbolic link that leads nowhere (" + e.getMessage() + ")";
            }
            String problem = problemWith(target, uid);
            return problem == null ? null : "leads to " + target + ", which " + problem;
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "is not a directory";
        }
        int owner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != uid) {
            return "belongs to uid " + owner + ", not to uid " + uid + " that Cadre runs as: that user could change"
                    + " what Cadre reads and runs; chown it once you have checked what it holds";
        }
        int mode = mode(p);
        if ((mode & 0022) != 0) {
            return "is writable by other users (mode " + Integer.toOctalString(mode & 07777) + "), who could change"
                    + " what Cadre reads and runs; chmod go-w it once you have checked what it holds";
        }
        return null;
    }

    /** The owner of /proc/self is this process's effective uid. */
    static int processUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }
}
