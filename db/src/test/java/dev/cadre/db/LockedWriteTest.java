package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A write that meets the lock of another program past the busy timeout (short here) fails with the SQLITE_BUSY that
 * tells callers to wait it out, not with what closing the failed connection then says; and the write after the lock
 * ends goes through on a fresh connection.
 */
class LockedWriteTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatMeetsALockFailsAsBusyAndTheNextOneGoesThrough() throws Exception {
        Path file = dir.resolve("cadre.db");
        SQLiteDataSource source = Database.dataSource(file);
        source.setBusyTimeout(200);
        JobStore store = new JobStore(Database.open(source));
        store.admit(List.of(JobStoreTest.job("before", "alice")));
        try (var other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            other.createStatement().execute("BEGIN IMMEDIATE");
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> store.admit(List.of(JobStoreTest.job("during", "alice"))));
            Optional<SQLException> busy = StorageFailure.environmental(e);
            assertTrue(busy.isPresent(), "not seen as the database's doing: " + e);
            assertTrue(busy.get().getMessage().contains("SQLITE_BUSY"), busy.get().getMessage());
            other.createStatement().execute("COMMIT");
        }
        assertEquals(2, store.admit(List.of(JobStoreTest.job("during", "alice"))).get(0).job().id());
        store.close();
    }

    /** Whatever carries the SQLite failure, as a cause or as the suppressed failure of a close, it is found. */
    @Test
    void aFailureCarriedAsSuppressedIsFoundToo() {
        SQLException full = new org.sqlite.SQLiteException("disk full", org.sqlite.SQLiteErrorCode.SQLITE_FULL);
        RuntimeException closing = new IllegalStateException("close failed");
        closing.addSuppressed(new IllegalStateException("wrapped", full));
        assertEquals(Optional.of(full), StorageFailure.environmental(new RuntimeException("outer", closing)));
        RuntimeException own = new IllegalStateException("constraint");
        own.addSuppressed(new IllegalStateException("no code", new SQLException("not SQLite's")));
        assertEquals(Optional.empty(), StorageFailure.environmental(own));
    }
}
