package dev.cadre.node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of one kind's table in {@value AttemptRecordStore#FILE}, each statement prepared once on the kind's own
 * connection. {@link AttemptRecordStore} holds the lock every call here runs under, and words its failures.
 */
final class RecordTable {
    private final Connection connection;
    private final PreparedStatement put;
    private final PreparedStatement get;
    private final PreparedStatement forget;
    private final PreparedStatement pruneBatch;
    private final PreparedStatement importOne;

    /** Creates the table as needed ({@link RecordsSchema#create}) and prepares its statements. */
    RecordTable(Connection connection, String table) throws SQLException {
        this.connection = connection;
        RecordsSchema.create(connection, table);
        this.put = connection.prepareStatement("INSERT INTO " + table + " (job_id, attempt, written_ms, body,"
                + " job_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT (job_id, attempt) DO UPDATE SET"
                + " written_ms = excluded.written_ms, body = excluded.body, job_key = excluded.job_key");
        this.get = connection.prepareStatement("SELECT job_key, body FROM " + table
                + " WHERE job_id = ? AND attempt = ?");
        this.forget = connection.prepareStatement("DELETE FROM " + table + " WHERE job_id = ? AND attempt = ?");
        this.pruneBatch = connection.prepareStatement("DELETE FROM " + table + " WHERE (job_id, attempt) IN"
                + " (SELECT job_id, attempt FROM " + table + " WHERE written_ms < ? LIMIT " + AttemptRecordStore.BATCH
                + ")");
        this.importOne = connection.prepareStatement("INSERT OR IGNORE INTO " + table
                + " (job_id, attempt, written_ms, body) VALUES (?, ?, ?, ?)");
    }

    /** Stores the entry, stamped {@code writtenMillis}, replacing what the attempt's row held. */
    void write(AttemptRecordStore.Entry e, long writtenMillis) throws SQLException {
        put.setLong(1, e.jobId());
        put.setInt(2, e.attempt());
        put.setLong(3, writtenMillis);
        put.setString(4, e.text());
        put.setString(5, e.jobKey());
        put.executeUpdate();
    }

    /** Stores each entry as {@link #write} does, in one transaction: all or none. */
    void writeAll(List<AttemptRecordStore.Entry> entries, long writtenMillis) throws SQLException {
        inTransaction(() -> {
            for (AttemptRecordStore.Entry e : entries) {
                write(e, writtenMillis);
            }
        });
    }

    Optional<AttemptRecordStore.Stored> read(long jobId, int attempt) throws SQLException {
        get.setLong(1, jobId);
        get.setInt(2, attempt);
        try (ResultSet r = get.executeQuery()) {
            return r.next() ? Optional.of(new AttemptRecordStore.Stored(r.getString(1), r.getString(2)))
                    : Optional.empty();
        }
    }

    void delete(long jobId, int attempt) throws SQLException {
        forget.setLong(1, jobId);
        forget.setInt(2, attempt);
        forget.executeUpdate();
    }

    /** Removes up to {@link AttemptRecordStore#BATCH} rows written before the cutoff; how many it removed. */
    int pruneBatch(long cutoffMillis) throws SQLException {
        pruneBatch.setLong(1, cutoffMillis);
        return pruneBatch.executeUpdate();
    }

    /** Adds the rows of an older runner's files in one transaction; a row already there stays as it is. */
    void importAll(List<OldRecordFiles.Found> found) throws SQLException {
        inTransaction(() -> {
            for (OldRecordFiles.Found f : found) {
                importOne.setLong(1, f.jobId());
                importOne.setInt(2, f.attempt());
                importOne.setLong(3, f.writtenMillis());
                importOne.setString(4, f.text());
                importOne.executeUpdate();
            }
        });
    }

    private interface Statements {
        void run() throws SQLException;
    }

    /** Runs the statements in one transaction, rolled back if one fails. */
    private void inTransaction(Statements statements) throws SQLException {
        connection.setAutoCommit(false);
        try {
            statements.run();
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException again) {
                e.addSuppressed(again);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
