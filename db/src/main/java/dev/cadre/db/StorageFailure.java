package dev.cadre.db;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Tells a SQLite failure of the file or its disk (full, read-only, an I/O error, locked past the busy timeout,
 * cannot be opened) from one caused by what was written (a constraint, a value too big). The first fails every
 * write alike until the operator acts, so a caller waits it out rather than blaming the work; the second belongs
 * to the work.
 */
public final class StorageFailure {
    /** Primary result codes (the low byte of an extended one) that the file or its disk causes. */
    private static final Set<Integer> ENVIRONMENT = Set.of(SQLiteErrorCode.SQLITE_FULL.code,
            SQLiteErrorCode.SQLITE_READONLY.code, SQLiteErrorCode.SQLITE_IOERR.code,
            SQLiteErrorCode.SQLITE_BUSY.code, SQLiteErrorCode.SQLITE_LOCKED.code, SQLiteErrorCode.SQLITE_CANTOPEN.code,
            SQLiteErrorCode.SQLITE_PERM.code, SQLiteErrorCode.SQLITE_NOLFS.code, SQLiteErrorCode.SQLITE_PROTOCOL.code);

    private StorageFailure() {
    }

    /**
     * The SQLite exception in the failure's causes or suppressed exceptions (Jdbi and the stores wrap it, and a
     * failed close may carry it) whose code is the file's or the disk's doing, if there is one.
     */
    public static Optional<SQLException> environmental(Throwable failure) {
        return environmental(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static Optional<SQLException> environmental(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return Optional.empty();
        }
        if (t instanceof SQLiteException s && ENVIRONMENT.contains(s.getErrorCode() & 0xff)) {
            return Optional.of(s);
        }
        Optional<SQLException> found = environmental(t.getCause(), seen);
        for (Throwable s : t.getSuppressed()) {
            if (found.isPresent()) {
                break;
            }
            found = environmental(s, seen);
        }
        return found;
    }

    /** Whether the failure's SQLite code is one of {@code codes} (compared on primary codes). */
    static boolean is(SQLException e, SQLiteErrorCode... codes) {
        for (SQLiteErrorCode c : codes) {
            if ((e.getErrorCode() & 0xff) == c.code) {
                return true;
            }
        }
        return false;
    }
}
