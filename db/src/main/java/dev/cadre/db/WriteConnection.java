package dev.cadre.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one connection every write goes through, kept open, with each of its statements prepared once for the
 * connection's life. Opening a SQLite connection per write (and closing the last, which checkpoints the WAL) cost
 * more than a batch's inserts, and compiling the same statements again for every batch showed in the head's
 * profile. Used by one thread at a time (SingleWriter's writes are synchronized).
 */
final class WriteConnection implements AutoCloseable {
    private final Handle handle;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    WriteConnection(Jdbi jdbi) {
        this.handle = jdbi.open();
    }

    Handle handle() {
        return handle;
    }

    /**
     * The statement for this SQL, prepared on first use. Callers bind every parameter before each run and leave
     * no batch behind: a failed write closes this connection rather than trusting what a statement was left with.
     */
    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement s = prepared.get(sql);
        if (s == null) {
            s = handle.getConnection().prepareStatement(sql);
            prepared.put(sql, s);
        }
        return s;
    }

    @Override
    public void close() {
        for (PreparedStatement s : prepared.values()) {
            try {
                s.close();
            } catch (SQLException e) {
                // The connection closes next, which releases the statement anyway.
            }
        }
        prepared.clear();
        handle.close();
    }
}
