package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.db.Database;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs as root here (as the tests do), so a directory of another user is made with chown. */
class PrivateDirectoryTest {
    private static final int NOBODY = 65534;
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aMissingDirectoryIsCreatedForItsOwnerAlone() throws Exception {
        Path made = PrivateDirectory.prepare(tmp.resolve("a/./b/data"), "the data directory", "--data-dir");
        assertEquals(tmp.resolve("a/b/data"), made);
        assertEquals("rwx------", mode(made));
    }

    @Test
    void anOwnDirectoryReadableByOthersKeepsItsFilesAndLosesTheirAccess() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(data.resolve("kept"), "x");
        PrivateDirectory.prepare(data, "the data directory", "--data-dir");
        assertEquals("rwx------", mode(data));
        assertEquals("x", Files.readString(data.resolve("kept")));
    }

    @Test
    void aDirectoryOfAnotherUserIsRefusedAndLeftAsItWas() throws Exception {
        Path planted = Files.createDirectory(tmp.resolve("planted"));
        Files.setAttribute(planted, "unix:uid", NOBODY);
        int me = PrivateDirectory.processUid();
        var e = assertThrows(PrivateDirectory.Refused.class,
                () -> PrivateDirectory.prepare(planted, "the data directory", "--data-dir"));
        assertEquals("the data directory " + planted + " belongs to uid " + NOBODY + ", not to uid " + me
                + " that Cadre runs as: that user could change what Cadre reads and runs; chown it once you have"
                + " checked what it holds; or choose another with --data-dir", e.getMessage());
        assertEquals("rwxr-xr-x", mode(planted));
        assertEquals(NOBODY, Files.getAttribute(planted, "unix:uid"));
    }

    @Test
    void aDirectoryOthersMayWriteToIsRefused() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
        var e = assertThrows(PrivateDirectory.Refused.class,
                () -> PrivateDirectory.prepare(shared, NodeIdentity.STATE_DIRECTORY, null));
        assertEquals("the node's state directory " + shared + " is writable by other users (mode 775), who could"
                + " change what Cadre reads and runs; chmod go-w it once you have checked what it holds",
                e.getMessage());
        assertEquals("rwxrwxr-x", mode(shared));
    }

    @Test
    void anOwnLinkToAGoodDirectoryIsFollowedAndAnyOtherLinkRefused() throws Exception {
        Path mine = PrivateDirectory.prepare(tmp.resolve("mine"), "the data directory", null);
        Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), mine);
        assertEquals(link, PrivateDirectory.prepare(link, "the data directory", null));
        assertEquals("rwx------", mode(mine), "the directory the link leads to is tightened");

        Path theirs = Files.createSymbolicLink(tmp.resolve("theirs"), mine);
        Files.setAttribute(theirs, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        var t = assertThrows(PrivateDirectory.Refused.class,
                () -> PrivateDirectory.prepare(theirs, "the data directory", null));
        assertEquals("the data directory " + theirs + " is a symbolic link that belongs to uid " + NOBODY
                + ", not to uid 0 that Cadre runs as; give the directory it leads to once you have checked it",
                t.getMessage());

        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path toShared = Files.createSymbolicLink(tmp.resolve("to-shared"), shared);
        var s = assertThrows(PrivateDirectory.Refused.class,
                () -> PrivateDirectory.prepare(toShared, "the data directory", null));
        assertTrue(s.getMessage().startsWith("the data directory " + toShared + " leads to " + shared
                + ", which is writable by other users (mode 777)"), s.getMessage());

        Path nowhere = Files.createSymbolicLink(tmp.resolve("nowhere"), tmp.resolve("gone"));
        var n = assertThrows(PrivateDirectory.Refused.class,
                () -> PrivateDirectory.prepare(nowhere, "the data directory", null));
        assertTrue(n.getMessage().contains("is a symbolic link that leads nowhere"), n.getMessage());
    }

    @Test
    void aFileInItsPlaceIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "");
        var f = assertThrows(PrivateDirectory.Refused.class,
                () -> PrivateDirectory.prepare(file, "the data directory", null));
        assertTrue(f.getMessage().endsWith(file + " is not a directory"), f.getMessage());
    }

    @Test
    void theRuleIsJudgedForTheUidGiven() throws Exception {
        Path mine = PrivateDirectory.prepare(tmp.resolve("mine"), "the data directory", null);
        int me = PrivateDirectory.processUid();
        assertNull(PrivateDirectory.problemWith(mine, me));
        assertTrue(PrivateDirectory.problemWith(mine, me + 1).startsWith("belongs to uid " + me + ", not to uid "
                + (me + 1)));
    }

    @Test
    void theDatabaseAndTheFilesSqliteAddsAreTheOwnersAlone() throws Exception {
        Path file = tmp.resolve("records.db");
        Database.ownerOnly(file);
        assertEquals("rw-------", mode(file));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE t (x)");
            s.execute("INSERT INTO t VALUES (1)");
            // With the umask of 022 here, SQLite alone makes them 0644.
            assertEquals("rw-------", mode(tmp.resolve("records.db-wal")));
            assertEquals("rw-------", mode(tmp.resolve("records.db-shm")));
        }
    }

    @Test
    void anOlderDatabaseReadableByOthersIsTightened() throws Exception {
        Path file = tmp.resolve("records.db");
        for (Path p : new Path[] {file, tmp.resolve("records.db-wal")}) {
            Files.writeString(p, "");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Database.ownerOnly(file);
        assertEquals("rw-------", mode(file));
        assertEquals("rw-------", mode(tmp.resolve("records.db-wal")));
    }
}
