package dev.cadre.db;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the SQLite file. Pragmas are per connection and the data source opens one per handle,
 * so they live in the SQLiteConfig rather than in a statement run once.
 */
public final class Database {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private Database() {
    }

    /**
     * Checks the file (see {@link DatabaseFileCheck}) and migrates it.
     *
     * @throws UnusableDatabase naming the file and what to do, when it is damaged, someone else's, not writable or
     *         newer than this Cadre
     */
    public static Jdbi open(Path file) {
        SQLiteDataSource source = dataSource(file);
        DatabaseFileCheck.check(file, source);
        try {
            return open(source);
        } catch (UnusableDatabase e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnusableDatabase("cannot bring " + file + " up to date: " + e.getMessage(), e);
        }
    }

    /** The schema migrated over any source of connections to the file (tests count what the writes cost). */
    static Jdbi open(DataSource source) {
        Jdbi jdbi = Jdbi.create(source);
        Schema.migrate(jdbi);
        return jdbi;
    }

    static SQLiteDataSource dataSource(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ownerOnly(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + file + ": " + e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode survives a process crash (kill -9); only a power loss can lose the last commits.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return source;
    }

    /**
     * Job specs carry users' environments (and a node's records.db its jobs' outcomes), so an SQLite database is its
     * owner's alone (0600) whatever the umask: created
     * empty when missing (SQLite takes an empty file as a new database), tightened when it exists. SQLite creates the
     * -wal, -shm and -journal files with the database file's mode; ones left by an older Cadre are tightened too.
     */
    public static void ownerOnly(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException raced) {
                // tightened below like any existing one
            }
        }
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Path f = file.resolveSibling(file.getFileName() + suffix);
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !Files.getPosixFilePermissions(f,
                    LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(f, OWNER_ONLY);
            }
        }
    }
}
