package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job specs carry users' environments: no other local user may read the database or its write-ahead log. */
class DatabaseFileModeTest {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    @TempDir
    Path dir;

    private Set<PosixFilePermission> mode(String name) throws Exception {
        return Files.getPosixFilePermissions(dir.resolve(name));
    }

    @Test
    void theDatabaseAndItsLogAreTheOwnersAloneWhateverTheUmask() throws Exception {
        Path file = dir.resolve("cadre.db");
        Jdbi jdbi = Database.open(file);
        try (var h = jdbi.open()) {
            h.execute("CREATE TABLE probe (x TEXT)");
            h.execute("INSERT INTO probe VALUES ('MY_SECRET=hunter2')");
            // The umask here is 022, with which SQLite makes its files 0644.
            assertEquals(OWNER_ONLY, mode("cadre.db"));
            assertEquals(OWNER_ONLY, mode("cadre.db-wal"));
            assertEquals(OWNER_ONLY, mode("cadre.db-shm"));
        }
    }

    @Test
    void aDatabaseAnOlderCadreLeftReadableIsTightenedAndKeepsItsRows() throws Exception {
        Path file = dir.resolve("cadre.db");
        try (var h = Database.open(file).open()) {
            h.execute("CREATE TABLE probe (x TEXT)");
            h.execute("INSERT INTO probe VALUES ('kept')");
        }
        for (String name : new String[] {"cadre.db", "cadre.db-wal", "cadre.db-shm"}) {
            if (Files.exists(dir.resolve(name))) {
                Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        try (var h = Database.open(file).open()) {
            assertEquals("kept", h.createQuery("SELECT x FROM probe").mapTo(String.class).one());
            assertEquals(OWNER_ONLY, mode("cadre.db"));
            assertEquals(OWNER_ONLY, mode("cadre.db-wal"));
        }
    }
}
