package dev.cadre.db;

import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;

/**
 * Several reads that must agree, in one SQLite read transaction: in WAL mode its statements all see the file as it was
 * at the first, whatever is committed meanwhile. The transaction is DEFERRED, not the IMMEDIATE that {@link Database}
 * sets for every connection: an immediate one would take the write lock and hold the scheduler's writes up for as
 * long as the reads take.
 */
final class ReadTransaction {
    private ReadTransaction() {
    }

    static <T> T of(Jdbi jdbi, HandleCallback<T, RuntimeException> reads) {
        return jdbi.withHandle(h -> {
            SQLiteConnectionConfig config = sqlite(h).getConnectionConfig();
            SQLiteConfig.TransactionMode before = config.getTransactionMode();
            config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
            try {
                return h.inTransaction(reads);
            } finally {
                config.setTransactionMode(before);
            }
        });
    }

    private static SQLiteConnection sqlite(Handle h) {
        try {
            return h.getConnection().unwrap(SQLiteConnection.class);
        } catch (SQLException e) {
            throw new IllegalStateException("not an SQLite connection: " + e.getMessage(), e);
        }
    }
}
