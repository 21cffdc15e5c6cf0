package dev.cadre.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Which shares of its time limit an attempt has been mailed about (--mail-type TIME_LIMIT_50, _80, _90), as Slurm
 * keeps them in the job's saved mail_type, clearing each bit as it mails: column
 * {@code job_attempts.time_limit_mailed}. The scheduler decides the mask and writes it before it hands the mails to
 * the mail program, so a crash may lose a mail but a restarted head never sends one twice; it reads the masks of the
 * running attempts back at its start. The attempt's end rewrites its row (INSERT OR REPLACE), clearing the mask,
 * which is read for running attempts only.
 *
 * @param shares a bitmask whose meaning is the scheduler's (its JobMail): 1, 2 and 4 for the 50, 80 and 90 percent
 *        shares, 8 for an attempt that ran before the column existed
 */
public record TimeLimitMailed(long jobId, int attempt, int shares) {
    private static final String UPDATE = "UPDATE job_attempts SET time_limit_mailed = ?"
            + " WHERE job_id = ? AND attempt = ?";
    /** The attempts the jobs run now, through the index on jobs' state: a head's start reads no ended attempt. */
    private static final String RUNNING = "SELECT a.job_id, a.attempt, a.time_limit_mailed FROM jobs j"
            + " JOIN job_attempts a ON a.job_id = j.id AND a.attempt = j.attempt"
            + " WHERE j.state IN ('RUNNING', 'SUSPENDED') AND a.time_limit_mailed <> 0 ORDER BY a.job_id";

    /** Writes the masks inside the caller's transaction, replacing what the rows held. */
    static void writeIn(WriteConnection w, List<TimeLimitMailed> marks) throws SQLException {
        PreparedStatement update = w.statement(UPDATE);
        for (TimeLimitMailed m : marks) {
            update.setInt(1, m.shares());
            update.setLong(2, m.jobId());
            update.setInt(3, m.attempt());
            update.addBatch();
        }
        update.executeBatch();
    }

    /** The masks of the running and suspended jobs' current attempts; an attempt mailed nothing is left out. */
    static List<TimeLimitMailed> running(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery(RUNNING)
                .map((rs, ctx) -> new TimeLimitMailed(rs.getLong(1), rs.getInt(2), rs.getInt(3))).list());
    }
}
