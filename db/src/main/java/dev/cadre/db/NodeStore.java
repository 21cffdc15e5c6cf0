package dev.cadre.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The nodes the scheduler has heard from, with their resources, last state and drain, and its kill holds. */
public final class NodeStore {
    private final Jdbi jdbi;
    private final KillHolds killHolds;
    private final NodeHistory history;
    private final NodeEventSpans events;

    public NodeStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.killHolds = new KillHolds(jdbi);
        this.history = new NodeHistory(jdbi);
        this.events = new NodeEventSpans(jdbi);
    }

    /** Each node's accounting history; see {@link NodeHistory}. */
    public NodeHistory history() {
        return history;
    }

    /** The nodes' history as sacctmgr show event reads it: each event with its span; see {@link NodeEventSpans}. */
    public NodeEventSpans events() {
        return events;
    }

    /** The slots held on the nodes for kills not yet confirmed; see {@link KillHolds}. */
    public KillHolds killHolds() {
        return killHolds;
    }

    private static final TypeReference<Map<String, List<Integer>>> GPU_TYPES = new TypeReference<>() {
    };

    public void upsert(NodeRecord n) {
        jdbi.useHandle(h -> h.execute("INSERT INTO nodes (id, hostname, addresses, cores, memory_mb, gpus, state,"
                + " last_seen, reason, drain_reason, drain_user, drain_since, gpu_types)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT(id) DO UPDATE SET"
                + " hostname = excluded.hostname, addresses = excluded.addresses, cores = excluded.cores,"
                + " memory_mb = excluded.memory_mb, gpus = excluded.gpus, state = excluded.state,"
                + " last_seen = excluded.last_seen, reason = excluded.reason, drain_reason = excluded.drain_reason,"
                + " drain_user = excluded.drain_user, drain_since = excluded.drain_since,"
                + " gpu_types = excluded.gpu_types",
                n.id(), n.hostname(), String.join(",", n.addresses()), n.cores(), n.memoryMb(), n.gpus(),
                n.state().name(), n.lastSeen().toEpochMilli(), n.reason(),
                n.drain() == null ? null : n.drain().reason(), n.drain() == null ? null : n.drain().user(),
                n.drain() == null ? null : n.drain().since().toEpochMilli(),
                n.gpuTypes() == null ? null : MessageCodec.encodeValue(n.gpuTypes())));
    }

    /** An administrator deleted the node; a heartbeat from it later stores it anew. */
    public void delete(String id) {
        jdbi.useHandle(h -> h.execute("DELETE FROM nodes WHERE id = ?", id));
    }

    public List<NodeRecord> list() {
        return jdbi.withHandle(NodeStore::list);
    }

    /** The nodes, read on a handle of the caller's (a read transaction with other reads). */
    static List<NodeRecord> list(Handle h) {
        return h.createQuery("SELECT id, hostname, addresses, cores, memory_mb, gpus, state,"
                + " last_seen, reason, drain_reason, drain_user, drain_since, gpu_types FROM nodes"
                + " ORDER BY hostname, id")
                .map((rs, ctx) -> new NodeRecord(rs.getString(1), rs.getString(2),
                        rs.getString(3).isEmpty() ? List.of() : Arrays.asList(rs.getString(3).split(",")),
                        rs.getInt(4), rs.getLong(5), rs.getInt(6), NodeRecord.NodeState.valueOf(rs.getString(7)),
                        Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9), rs.getString(10) == null ? null
                                : new NodeRecord.Drain(rs.getString(10), rs.getString(11),
                                        Instant.ofEpochMilli(rs.getLong(12))), gpuTypes(rs.getString(13))))
                .list();
    }

    /** The column's JSON object, as the node said it; null for none, or for a value no node-runner wrote. */
    static Map<String, List<Integer>> gpuTypes(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MessageCodec.mapper().readValue(json, GPU_TYPES);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
