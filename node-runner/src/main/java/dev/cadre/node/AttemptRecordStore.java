package dev.cadre.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;

/**
 * One short text per attempt, of one kind, kept in the node's SQLite file {@value #FILE} after the attempt's own
 * directory is gone and forgotten after a retention. A file per attempt cost a create, a rename and later a delete
 * on the state directory's disk for every job; a row costs an append to the write-ahead log. Each kind opens its
 * own connection to the file, so it can be opened from the state directory alone.
 */
final class AttemptRecordStore implements AutoCloseable {
    static final String FILE = "records.db";
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRecordStore.class);
    /** Short transactions, so that pruning and importing let the job-ending threads write in between. */
    static final int BATCH = 1000;

    /**
     * @param table the kind's table in the file
     * @param oldDir the directory of the state directory where node-runners before {@value #FILE} kept one file
     *     per attempt ({@link OldRecordFiles})
     * @param what what the records are, for the log
     */
    record Kind(String table, String oldDir, Duration retention, String what) {
        Kind {
            if (!table.matches("[a-z_]+")) {
                throw new IllegalArgumentException("not a table name: " + table);
            }
        }
    }

    private final Path file;
    private final Kind kind;
    private final Clock clock;
    private final Connection connection;
    private final RecordTable table;
    private boolean closed;

    private AttemptRecordStore(Path file, Kind kind, Clock clock, Connection connection) throws SQLException {
        this.file = file;
        this.kind = kind;
        this.clock = clock;
        this.connection = connection;
        this.table = new RecordTable(connection, kind.table());
    }

    /**
     * Opens the kind's table in the state directory's {@value #FILE}, creating both as needed, and moves the files
     * of the kind's old directory into it.
     *
     * @param clock stamps each record written, which its retention counts from
     * @throws IOException naming the file and what to do when it is no usable SQLite database
     */
    static AttemptRecordStore open(Path stateDir, Kind kind, Clock clock, OldRecordFiles.Contents contents)
            throws IOException {
        Path file = Files.createDirectories(stateDir).resolve(FILE).toAbsolutePath();
        Connection connection = null;
        try {
            connection = RecordsSchema.connect(file);
            AttemptRecordStore store = new AttemptRecordStore(file, kind, clock, connection);
            OldRecordFiles.importInto(store, stateDir.resolve(kind.oldDir()), contents);
            return store;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw unusable(file, e);
        }
    }

    Path file() {
        return file;
    }

    Kind kind() {
        return kind;
    }

    private static IOException unusable(Path file, SQLException e) {
        int code = e.getErrorCode() & 0xff;
        if (code == SQLiteErrorCode.SQLITE_NOTADB.code || code == SQLiteErrorCode.SQLITE_CORRUPT.code) {
            return new IOException(file + " is not a usable SQLite database (" + e.getMessage() + "). It holds this"
                    + " node's attempt outcomes and output records; move it (with any " + FILE + "-wal and " + FILE
                    + "-shm beside it) out of the state directory and start again: the node then starts without"
                    + " those records (a place-job repeated for an attempt it ended runs that attempt again, and the"
                    + " output of earlier attempts can no longer be read through the head)", e);
        }
        return new IOException("cannot use " + file + ": " + e.getMessage(), e);
    }

    /**
     * Stores the attempt's text, stamped with the clock's time, replacing what it held.
     *
     * @param jobKey the place-job's job key, which tells this job's attempt from another job's of the same id;
     *     null when it came without one
     */
    synchronized void put(long jobId, int attempt, String jobKey, String text) throws IOException {
        try {
            ensureOpen();
            table.write(new Entry(jobId, attempt, jobKey, text), clock.millis());
        } catch (SQLException e) {
            throw failed("write", jobId, attempt, e);
        }
    }

    /** One attempt's text and the job key it was written for (null: none), for {@link #putAll}. */
    record Entry(long jobId, int attempt, String jobKey, String text) {
        /** An attempt placed without a job key. */
        Entry(long jobId, int attempt, String text) {
            this(jobId, attempt, null, text);
        }
    }

    /** What {@link #find} found: the text, and the job key it was written for (null: none, or before keys). */
    record Stored(String jobKey, String text) {
    }

    /**
     * Stores each entry as {@link #put} does, in one transaction: a burst of placements then costs one commit to
     * the write-ahead log instead of one each. All or none are stored.
     */
    synchronized void putAll(List<Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        try {
            ensureOpen();
            table.writeAll(entries, clock.millis());
        } catch (SQLException e) {
            Entry first = entries.get(0);
            throw new IOException("cannot write the " + kind.what() + " of " + entries.size() + " attempts (job "
                    + first.jobId() + " attempt " + first.attempt() + " first) in " + file + ": " + e.getMessage(), e);
        }
    }

    Optional<String> find(long jobId, int attempt) throws IOException {
        return findStored(jobId, attempt).map(Stored::text);
    }

    /** The attempt's text with the job key it was written for. */
    synchronized Optional<Stored> findStored(long jobId, int attempt) throws IOException {
        try {
            ensureOpen();
            return table.read(jobId, attempt);
        } catch (SQLException e) {
            throw failed("read", jobId, attempt, e);
        }
    }

    /** Removes the attempt's record, if there is one. */
    synchronized void forget(long jobId, int attempt) throws IOException {
        try {
            ensureOpen();
            table.delete(jobId, attempt);
        } catch (SQLException e) {
            throw failed("remove", jobId, attempt, e);
        }
    }

    private IOException failed(String doing, long jobId, int attempt, SQLException e) {
        return new IOException("cannot " + doing + " the " + kind.what() + " of job " + jobId + " attempt " + attempt
                + " in " + file + ": " + e.getMessage(), e);
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("closed");
        }
    }

    /** Forgets records written before now less the retention; a failure is logged and tried again next time. */
    void pruneExpired(Instant now) {
        long cutoff = now.minus(kind.retention()).toEpochMilli();
        int removed = 0;
        try {
            int batch;
            do {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    batch = table.pruneBatch(cutoff);
                }
                removed += batch;
            } while (batch == BATCH);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not prune {} in {}: {}", kind.what(), file, e.toString());
        }
        if (removed > 0) {
            LOG.info("forgot {} {} older than {} days", removed, kind.what(), kind.retention().toDays());
        }
    }

    /** Adds records of an older runner's files in one transaction; what a newer runner wrote since stays. */
    synchronized void importAll(List<OldRecordFiles.Found> found) throws SQLException {
        if (found.isEmpty()) {
            return;
        }
        table.importAll(found);
    }

    /** Closes the connection; a write still under way finishes first, later ones fail. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("could not close {}: {}", file, e.toString());
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing after a failed open", e);
            }
        }
    }
}
