package dev.cadre.scheduler;

import dev.cadre.db.NodeHistory;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.NodeStanding;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes each node's accounting history (NodeHistory) from the decisions: a row when a node's standing or cores
 * change ({@link NodeStanding#changes}), dated by the scheduler's clock, compared with the last row of each node as
 * stored, read once. A head started again therefore writes nothing for a node that comes back as it was: its last
 * row holds across the head's absence (the nodes run their jobs on meanwhile), and one that does not come back is
 * recorded DOWN when its timeout passes. Used under the core's lock, like the {@link DecisionWriter} that calls it.
 */
final class NodeHistoryRecorder {
    private final NodeHistory history;
    private final Clock clock;
    /** Each node's last stored mark; null until first needed. */
    private Map<String, NodeStanding.Mark> recorded;

    NodeHistoryRecorder(NodeHistory history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    /** @param store runs the write, trying it again while the database refuses it */
    void record(Decisions d, Consumer<Runnable> store) {
        if (d.nodes().isEmpty() && d.forgotten().isEmpty()) {
            return;
        }
        if (recorded == null) {
            Map<String, NodeStanding.Mark> last = new HashMap<>();
            history.latest().forEach((id, e) -> last.put(id, new NodeStanding.Mark(
                    NodeStanding.Kind.valueOf(e.status().name()), e.cores(), e.reason(), e.user())));
            recorded = last;
        }
        Instant now = clock.instant();
        Map<String, NodeStanding.Mark> marks = new HashMap<>();
        List<NodeHistory.Event> rows = new ArrayList<>();
        for (NodeRecord n : d.nodes()) {
            add(n, NodeStanding.of(n), now, marks, rows);
        }
        for (NodeRecord n : d.forgotten()) {
            add(n, NodeStanding.removed(n), now, marks, rows);
        }
        if (!rows.isEmpty()) {
            store.accept(() -> history.record(rows));
            recorded.putAll(marks);
        }
    }

    private void add(NodeRecord n, NodeStanding.Mark mark, Instant now, Map<String, NodeStanding.Mark> marks,
            List<NodeHistory.Event> rows) {
        NodeStanding.Mark last = marks.containsKey(n.id()) ? marks.get(n.id()) : recorded.get(n.id());
        if (NodeStanding.changes(last, mark)) {
            marks.put(n.id(), mark);
            rows.add(new NodeHistory.Event(n.id(), n.hostname(), now, NodeHistory.Status.valueOf(mark.kind().name()),
                    mark.cores(), mark.reason(), mark.user()));
        }
    }
}
