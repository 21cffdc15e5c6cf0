package dev.cadre.node;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** How the node's {@value AttemptRecordStore#FILE} is opened, and the shape of each kind's table in it. */
final class RecordsSchema {
    private RecordsSchema() {
    }

    static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode survives a process crash (kill -9); only a power loss can lose the last commits.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // The other kind's connection writes to the same file.
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** Creates the kind's table and its index if missing, and brings a table of an older node-runner up to date. */
    static void create(Connection connection, String table) throws SQLException {
        try (Statement s = connection.createStatement()) {
            // Without rowid the table is its primary key's b-tree: one b-tree fewer to write per record.
            s.executeUpdate("CREATE TABLE IF NOT EXISTS " + table + " (job_id INTEGER NOT NULL, attempt INTEGER NOT"
                    + " NULL, written_ms INTEGER NOT NULL, body TEXT NOT NULL, job_key TEXT, PRIMARY KEY (job_id,"
                    + " attempt)) WITHOUT ROWID");
            addJobKey(s, table);
            // Pruning reads only the expired rows; a scan would hold the write lock over the whole table.
            s.executeUpdate("CREATE INDEX IF NOT EXISTS " + table + "_written ON " + table + " (written_ms)");
        }
    }

    /**
     * Tables made before job keys have none: their rows keep NULL, which a keyed place-job never takes for its own
     * ({@link EndedAttempts.Ended#answers}).
     */
    private static void addJobKey(Statement s, String table) throws SQLException {
        try (ResultSet columns = s.executeQuery("SELECT 1 FROM pragma_table_info('" + table + "')"
                + " WHERE name = 'job_key'")) {
            if (columns.next()) {
                return;
            }
        }
        s.executeUpdate("ALTER TABLE " + table + " ADD COLUMN job_key TEXT");
    }
}
