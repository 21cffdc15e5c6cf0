package dev.cadre.db;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the SQLite file. Pragmas are per connection and the data source opens one per handle,
 * so they live in the SQLiteConfig rather than in a statement run once.
 */
public final class Database {
    private Database() {
    }

    public static Jdbi open(Path file) {
        return open(dataSource(file));
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
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the directory of " + file + ": " + e.getMessage(), e);
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
}
