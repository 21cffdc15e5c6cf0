package dev.cadre.db;

import dev.cadre.protocol.JobState;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Which shares of its time limit a job has been mailed about (--mail-type TIME_LIMIT_50, _80, _90), as Slurm keeps
 * them in the job's saved mail_type, clearing each bit as it mails and setting none again at a requeue: column
 * {@code job_attempts.time_limit_mailed}, in the row of the attempt that runs. The scheduler decides the mask and writes
 * it before it hands the mails to the mail program, so a crash may lose a mail but a restarted head never sends one
 * twice; it reads the masks of the unfinished jobs' latest attempts back at its start. An attempt's row, first
 * written as it starts, takes the shares of the job's attempt before it ({@link #CARRIED_FROM_EARLIER}), so a
 * requeued job is not mailed a share again; the rewrites of the row that follow (its end) leave the mask as it is.
 *
 * @param shares a bitmask whose meaning is the scheduler's (its JobMail): 1, 2 and 4 for the 50, 80 and 90 percent
 *        shares, 8 for an attempt that ran before the column existed
 */
public record TimeLimitMailed(long jobId, int attempt, int shares) {
    /**
     * The mask a new attempt's row starts with, binding its job id and attempt: the shares of the job's latest attempt
     * before it, less 8, which speaks of the time of the attempt it marks.
     */
    static final String CARRIED_FROM_EARLIER = "COALESCE((SELECT p.time_limit_mailed & 7 FROM job_attempts p"
            + " WHERE p.job_id = ? AND p.attempt < ? ORDER BY p.attempt DESC LIMIT 1), 0)";
    private static final String UPDATE = "UPDATE job_attempts SET time_limit_mailed = ?"
            + " WHERE job_id = ? AND attempt = ?";
    /**
     * The latest attempts of the unfinished jobs, through the index on jobs' state: a head's start reads no ended job,
     * and a requeued job waiting to start again keeps its shares for its next attempt.
     */
    private static final String UNFINISHED = "SELECT a.job_id, a.attempt, a.time_limit_mailed FROM jobs j"
            + " JOIN job_attempts a ON a.job_id = j.id AND a.attempt = j.attempt"
            + " WHERE j.state IN (" + unfinishedStates() + ") AND a.time_limit_mailed <> 0 ORDER BY a.job_id";

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

    /** The masks of the unfinished jobs' latest attempts; an attempt mailed nothing is left out. */
    static List<TimeLimitMailed> unfinished(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery(UNFINISHED)
                .map((rs, ctx) -> new TimeLimitMailed(rs.getLong(1), rs.getInt(2), rs.getInt(3))).list());
    }

    private static String unfinishedStates() {
        return Arrays.stream(JobState.values()).filter(s -> !s.isTerminal()).map(s -> "'" + s.name() + "'")
                .collect(Collectors.joining(", "));
    }
}
