package dev.cadre.db;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.CpuIdList;
import dev.cadre.protocol.GpuTypes;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The CPU ids and GPU indexes an attempt held on one node of its allocation, as that node said (its runner-running,
 * its heartbeats): table {@code attempt_cpus}, one row per attempt and node, written again when the node says
 * otherwise. A node that never said has no row. Scontrol -d show job prints them per node, as Slurm's CPU_IDs and
 * GRES=gpu:N(IDX:...).
 *
 * @param nodeIndex the node's place in the attempt's allocation, the coordinator's 0: the order they are shown in
 * @param cpus Linux's list format; empty when the attempt ran unbound there
 * @param memoryMb the memory the attempt was given on the node
 * @param gpus the GPU indexes it held there, lowest first; empty for none; null when the node did not say, which
 *     leaves what it said before
 */
public record AttemptCpus(long jobId, int attempt, String nodeId, int nodeIndex, String hostname, String cpus,
        long memoryMb, List<Integer> gpus) {
    private static final String UPSERT = "INSERT INTO attempt_cpus (job_id, attempt, node_id, node_index, hostname,"
            + " cpus, memory_mb, gpus) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, attempt, node_id) DO"
            + " UPDATE SET node_index = excluded.node_index, hostname = excluded.hostname, cpus = excluded.cpus,"
            + " memory_mb = excluded.memory_mb, gpus = COALESCE(excluded.gpus, attempt_cpus.gpus)";
    /** With the types the node gives its GPUs now, to tell which type each index held is. */
    private static final String OF_JOBS = "SELECT c.job_id, c.attempt, c.node_id, c.hostname, c.cpus, c.memory_mb,"
            + " c.gpus, n.gpu_types FROM attempt_cpus c LEFT JOIN nodes n ON n.id = c.node_id"
            + " WHERE c.job_id IN (<ids>) ORDER BY c.job_id, c.attempt, c.node_index";

    /** A node's word that says nothing of GPUs. */
    public AttemptCpus(long jobId, int attempt, String nodeId, int nodeIndex, String hostname, String cpus,
            long memoryMb) {
        this(jobId, attempt, nodeId, nodeIndex, hostname, cpus, memoryMb, null);
    }

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
            upsert.setString(8, c.gpus() == null ? null : CpuIdList.format(new TreeSet<>(c.gpus())));
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
                    .computeIfAbsent(rs.getInt(2), a -> new ArrayList<>()).add(nodeCpus(rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getLong(6), gpus(rs.getString(7)),
                            NodeStore.gpuTypes(rs.getString(8))));
            return null;
        }).list();
        return byJob;
    }

    /**
     * A row's share, its GPUs by the types the node gives them ({@code nodeTypes}, null for none); untyped when one
     * of its indexes is no longer the node's.
     */
    private static AttemptRecord.NodeCpus nodeCpus(String nodeId, String hostname, String cpus, long memoryMb,
            List<Integer> gpus, Map<String, List<Integer>> nodeTypes) {
        Map<Integer, String> typeOf = GpuTypes.byIndex(nodeTypes);
        Map<String, List<Integer>> typed = new LinkedHashMap<>();
        if (gpus != null && typeOf.keySet().containsAll(gpus)) {
            gpus.forEach(g -> typed.computeIfAbsent(typeOf.get(g), t -> new ArrayList<>()).add(g));
        }
        return new AttemptRecord.NodeCpus(nodeId, hostname, cpus, memoryMb, gpus, typed.isEmpty() ? null : typed);
    }

    /** The GPU indexes a row holds, stored in the list format; null when the node did not say. */
    private static List<Integer> gpus(String stored) {
        return stored == null ? null : List.copyOf(CpuIdList.parse(stored));
    }
}
