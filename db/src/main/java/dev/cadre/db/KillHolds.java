package dev.cadre.db;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The slots the scheduler keeps taken for attempts that ended for it while a node may still be killing them (a
 * stale attempt of a node back from a partition, the other nodes of a multi-node job that ended), until each node
 * confirms the kill. The scheduler decides them and writes the whole set whenever it changes; the views read it so
 * that a node whose cores wait for a kill is not shown idle while jobs wait for those cores. The rows of a head that
 * stopped are replaced at its next start, which holds only what its nodes report again.
 */
public final class KillHolds {
    /**
     * One attempt's slots held on one node.
     *
     * @param since when the head began to hold them: the end of the attempt for the head, or its sighting
     */
    public record Hold(long jobId, int attempt, String nodeId, int cores, int gpus, long memoryMb, Instant since) {
    }

    private final Jdbi jdbi;

    KillHolds(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Replaces every row with these, in one transaction. */
    public void replace(Collection<Hold> holds) {
        jdbi.useTransaction(h -> {
            h.execute("DELETE FROM kill_holds");
            if (holds.isEmpty()) {
                return;
            }
            PreparedBatch insert = h.prepareBatch("INSERT INTO kill_holds (job_id, attempt, node_id, cores, gpus,"
                    + " memory_mb, since) VALUES (?, ?, ?, ?, ?, ?, ?)");
            for (Hold k : holds) {
                insert.add(k.jobId(), k.attempt(), k.nodeId(), k.cores(), k.gpus(), k.memoryMb(),
                        k.since().toEpochMilli());
            }
            insert.execute();
        });
    }

    /** Every hold, by node, job and attempt. */
    public List<Hold> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT job_id, attempt, node_id, cores, gpus, memory_mb, since"
                + " FROM kill_holds ORDER BY node_id, job_id, attempt")
                .map((rs, ctx) -> new Hold(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                        rs.getLong(6), Instant.ofEpochMilli(rs.getLong(7))))
                .list());
    }

    /** The holds of each node, keyed by node id; a node holding nothing has no entry. */
    public static Map<String, List<Hold>> byNode(List<Hold> holds) {
        Map<String, List<Hold>> out = new LinkedHashMap<>();
        holds.forEach(k -> out.computeIfAbsent(k.nodeId(), n -> new ArrayList<>()).add(k));
        return out;
    }
}
