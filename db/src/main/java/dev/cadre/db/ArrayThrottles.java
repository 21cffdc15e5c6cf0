package dev.cadre.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cadre.protocol.ArraySpec;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An array's new throttle (scontrol update ArrayTaskThrottle=) in the stored spec of each of its records that has
 * ended, the array's own included: the scheduler changes the records it still holds, and an ended one would show the
 * throttle it ended with, where Slurm shows every record of an array the one value its array has now (pack_job
 * sends each task its array head's array_recs->max_run_tasks). Nothing else of an ended record's spec changes.
 * Records that store no spec of their own read the array's row, which is either written here or by the scheduler.
 */
final class ArrayThrottles {
    private static final String ENDED = Arrays.stream(JobState.values()).filter(JobState::isTerminal)
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(","));
    private static final String SELECT = "SELECT id, spec FROM jobs WHERE array_job_id = ? AND spec <> ''"
            + " AND state IN (" + ENDED + ")";
    private static final String UPDATE = "UPDATE jobs SET spec = ? WHERE id = ?";

    private ArrayThrottles() {
    }

    /** @param throttles each array's id and its new throttle, 0 for none */
    static void writeIn(WriteConnection w, Map<Long, Integer> throttles) throws SQLException {
        if (throttles.isEmpty()) {
            return;
        }
        PreparedStatement select = w.statement(SELECT);
        PreparedStatement update = w.statement(UPDATE);
        for (Map.Entry<Long, Integer> t : throttles.entrySet()) {
            select.setLong(1, t.getKey());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    JobSpec spec = read(rs.getString(2));
                    if (spec.array() != null && spec.arraySpec().throttle() != t.getValue()) {
                        JobSpec shown = spec.toBuilder().array(ArraySpec.withThrottle(spec.array(), t.getValue()))
                                .build();
                        update.setString(1, MessageCodec.encodeValue(shown));
                        update.setLong(2, rs.getLong(1));
                        update.addBatch();
                    }
                }
            }
        }
        update.executeBatch();
    }

    private static JobSpec read(String text) throws SQLException {
        try {
            // Shared: an array's ended tasks often store the very same text.
            return SpecCache.read(text, true);
        } catch (JsonProcessingException e) {
            throw new SQLException("a stored spec does not read: " + e.getOriginalMessage(), e);
        }
    }
}
