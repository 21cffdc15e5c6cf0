package dev.cadre.db;

import java.sql.SQLException;
import org.jdbi.v3.core.Jdbi;

/**
 * The one writer of the job tables: every write is one transaction on one kept-open connection (see
 * {@link WriteConnection}), and each also stores the outbox's published mark, so marking costs no transaction of
 * its own.
 */
final class SingleWriter implements AutoCloseable {
    private final Jdbi jdbi;
    private final EventOutbox outbox;
    /** Null until the first write, and again after a failed one or a close. Guarded by this. */
    private WriteConnection connection;

    SingleWriter(Jdbi jdbi, EventOutbox outbox) {
        this.jdbi = jdbi;
        this.outbox = outbox;
    }

    /** SQL work of one write transaction, numbering the events it appends. */
    interface Work<T> {
        T run(WriteConnection w, EventOutbox.Numbering events) throws SQLException;
    }

    /**
     * Runs the work and stores the published mark in one transaction; the outbox learns the new event numbers and
     * mark only once it committed. After a failure the connection, its statements and the outbox's numbers are
     * dropped and read afresh at the next write, so nothing a failed statement left behind is trusted.
     */
    synchronized <T> T write(Work<T> work) {
        if (connection == null) {
            connection = new WriteConnection(jdbi);
            outbox.reload(connection.handle());
        }
        WriteConnection w = connection;
        EventOutbox.Numbering events = outbox.numbering();
        long[] storedMark = new long[1];
        try {
            T out = w.handle().inTransaction(h -> {
                try {
                    T result = work.run(w, events);
                    storedMark[0] = outbox.storePublished(w);
                    return result;
                } catch (SQLException e) {
                    throw new IllegalStateException("SQLite refused a write: " + e.getMessage(), e);
                }
            });
            outbox.committed(events, storedMark[0]);
            return out;
        } catch (RuntimeException | Error e) {
            // Closing after a failed BEGIN fails too (Jdbi cannot restore autocommit on a connection that has no
            // transaction): that failure must not hide the first, whose SQLite code tells a locked or full
            // database, to be waited out, from a bad write.
            try {
                close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Closes the write connection; a later write opens another, even if closing this one failed. */
    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } finally {
                connection = null;
            }
        }
    }
}
