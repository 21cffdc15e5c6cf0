package dev.cadre.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.sqlite.SQLiteErrorCode;

/**
 * Looks at the database file before anything runs on it, so that a damaged file, another program's database or
 * one the head cannot write is refused at start with the file's name and what to do, rather than met by the first
 * request. Stamps Cadre's application id into its databases, old and new, so that a foreign file is known as such.
 */
final class DatabaseFileCheck {
    /** "Cadr": in the file header, so that {@code file(1)} and Cadre itself know the file as Cadre's. */
    static final int APPLICATION_ID = 0x43616472;
    /** Tables the first migration creates: a file at a schema version above 0 without them is not Cadre's. */
    private static final long QUICK_CHECK_MAX_BYTES = 64L << 20;
    private static final Set<String> FIRST_TABLES = Set.of("jobs", "job_events", "job_attempts", "nodes");

    private DatabaseFileCheck() {
    }

    static void check(Path file, DataSource source) {
        try (Connection c = source.getConnection(); Statement st = c.createStatement()) {
            int applicationId = intPragma(st, "application_id");
            int version = intPragma(st, "user_version");
            Set<String> tables = new TreeSet<>();
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                    + " AND name NOT LIKE 'sqlite_%'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (applicationId != 0 && applicationId != APPLICATION_ID) {
                throw foreign(file, "its application id is 0x" + Integer.toHexString(applicationId), null);
            }
            if (applicationId == 0 && (version == 0 ? !tables.isEmpty() : !tables.containsAll(FIRST_TABLES))) {
                throw foreign(file, version == 0 ? "it holds tables " + tables + " but no schema version"
                        : "its schema version is " + version + " but it lacks tables of Cadre's", null);
            }
            // quick_check reads every page: 0.8 s warm but 10.6 s from a cold cache on a 420 MB file of 100k jobs.
            // Above the limit the file's length is checked against its header instead, which finds a truncation.
            List<String> problems = Files.size(file) <= QUICK_CHECK_MAX_BYTES ? quickCheck(st) : lengthCheck(file, st);
            if (!problems.isEmpty()) {
                throw damaged(file, "quick_check: " + String.join("; ", problems), null);
            }
            // A write transaction, committed: it proves the file, its directory (for the -wal and -shm files) and
            // the disk take writes, and it stamps the id into a database that lacks it.
            c.setAutoCommit(false);
            st.execute("PRAGMA application_id = " + APPLICATION_ID);
            c.commit();
        } catch (SQLException e) {
            throw unusable(file, e);
        } catch (IOException e) {
            throw new UnusableDatabase("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static int intPragma(Statement st, String pragma) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** A truncated file: shorter than its pages, with no write-ahead log that could hold the missing ones. */
    private static List<String> lengthCheck(Path file, Statement st) throws SQLException, IOException {
        long pages = intPragma(st, "page_count");
        long pageSize = intPragma(st, "page_size");
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        boolean walEmpty = !Files.exists(wal) || Files.size(wal) == 0;
        return walEmpty && pages * pageSize > Files.size(file) ? List.of("the file is " + Files.size(file)
                + " bytes but its header counts " + pages + " pages of " + pageSize + " (truncated?)") : List.of();
    }

    private static List<String> quickCheck(Statement st) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("PRAGMA quick_check(5)")) {
            while (rs.next()) {
                if (!"ok".equals(rs.getString(1))) {
                    problems.add(rs.getString(1));
                }
            }
        }
        return problems;
    }

    static UnusableDatabase unusable(Path file, SQLException e) {
        if (StorageFailure.is(e, SQLiteErrorCode.SQLITE_NOTADB, SQLiteErrorCode.SQLITE_CORRUPT,
                SQLiteErrorCode.SQLITE_FORMAT)) {
            return damaged(file, e.getMessage(), e);
        }
        if (StorageFailure.is(e, SQLiteErrorCode.SQLITE_BUSY, SQLiteErrorCode.SQLITE_LOCKED)) {
            return new UnusableDatabase(file + " stays locked by another program (" + e.getMessage() + "). Find"
                    + " it (fuser " + file + ") and end its transaction, then start Cadre again", e);
        }
        if (StorageFailure.is(e, SQLiteErrorCode.SQLITE_READONLY, SQLiteErrorCode.SQLITE_CANTOPEN,
                SQLiteErrorCode.SQLITE_PERM, SQLiteErrorCode.SQLITE_IOERR, SQLiteErrorCode.SQLITE_FULL)) {
            return new UnusableDatabase("cannot write " + file + " (" + e.getMessage() + "). The head stores every"
                    + " job there: make the file and its directory writable by this user (not read-only, not"
                    + " immutable: lsattr " + file + "; the file system not mounted read-only) and give its disk"
                    + " free space, then start Cadre again", e);
        }
        return new UnusableDatabase("cannot use " + file + ": " + e.getMessage(), e);
    }

    private static UnusableDatabase damaged(Path file, String detail, Throwable cause) {
        return new UnusableDatabase(file + " is damaged or not a SQLite database (" + detail + "). Stop Cadre and"
                + " restore a backup of it, or move it (with any " + file.getFileName() + "-wal and "
                + file.getFileName() + "-shm beside it) out of the data directory to start with an empty one (its"
                + " jobs are then forgotten)", cause);
    }

    private static UnusableDatabase foreign(Path file, String detail, Throwable cause) {
        return new UnusableDatabase(file + " is not Cadre's database (" + detail + "); Cadre leaves it as it is."
                + " Give Cadre another --data-dir, or move the file out of this one to start with an empty"
                + " database", cause);
    }
}
