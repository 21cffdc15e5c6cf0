package dev.cadre.db;

import dev.cadre.protocol.AttemptRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The CPU ids an attempt held on one node of its allocation, as that node said (its runner-running, its heartbeats):
 * table {@code attempt_cpus}, one row per attempt and node, written again when the node says otherwise. A node that
 * never said has no row. Scontrol -d show job prints them per node, as Slurm's CPU_IDs.
 *
 * @param nodeIndex the node's place in the attempt's allocation, the coordinator's 0: the order they are shown in
 * @param cpus Linux's list format; empty when the attempt ran unbound there
 * @param memoryMb the memory the attempt was given on the node
 */
public record AttemptCpus(long jobId, int attempt, String nodeId, int nodeIndex, String hostname, String cpus,
        long memoryMb) {
    private static final String UPSERT = "INSERT INTO attempt_cpus (job_id, attempt, node_id, node_index, hostname,"
            + " cpus, memory_mb) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, attempt, node_id) DO UPDATE SET"
            + " node_index = excluded.node_index, hostname = excluded.hostname, cpus = excluded.cpus,"
            + " memory_mb = excluded.memory_mb";
    private static final String OF_JOBS = "SELECT job_id, attempt, node_id, hostname, cpus, memory_mb"
            + " FROM attempt_cpus WHERE job_id IN (<ids>) ORDER BY job_id, attempt, node_index";

    /** Writes the rows inside the caller's transaction, replacing what an attempt's node said before. */
    static void writeIn(WriteConnection w, List<AttemptCpus> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement upsert = w.statement(UPSERT);
        for (AttemptCpus c : rows) {
            upsert.setLong(1, c.jobId());
            upsert.setInt(2, c.attempt());
            upsert.setString(3, c.nodeId());
            upsert.setInt(4, c.nodeIndex());
            upsert.setString(5, c.hostname());
            upsert.setString(6, c.cpus());
            upsert.setLong(7, c.memoryMb());
            upsert.addBatch();
        }
        upsert.executeBatch();
    }

    /** What the nodes said of each of the job's attempts, by attempt, each in its allocation's order. */
    static Map<Integer, List<AttemptRecord.NodeCpus>> ofJob(Handle h, long jobId) {
        return ofJobs(h, List.of(jobId)).getOrDefault(jobId, new TreeMap<>());
    }

    /** {@link #ofJob} for each of these jobs, by job id, in one statement; a job nothing was said of has no entry. */
    static Map<Long, Map<Integer, List<AttemptRecord.NodeCpus>>> ofJobs(Handle h, List<Long> jobIds) {
        Map<Long, Map<Integer, List<AttemptRecord.NodeCpus>>> byJob = new HashMap<>();
        h.createQuery(OF_JOBS).bindList("ids", jobIds).map((rs, ctx) -> {
            byJob.computeIfAbsent(rs.getLong(1), j -> new TreeMap<>())
                    .computeIfAbsent(rs.getInt(2), a -> new ArrayList<>()).add(new AttemptRecord.NodeCpus(
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6)));
            return null;
        }).list();
        return byJob;
    }
}
