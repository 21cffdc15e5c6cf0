package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.NodeHistory.Event;
import dev.cadre.db.NodeHistory.Status;
import dev.cadre.protocol.NodeRecord;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The utilization chart's reads against a real SQLite file: the nodes' history over the window, and all of them in
 * one read transaction, against a writer on a connection of its own committing between two of its statements.
 */
class UtilizationReadTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;

    @Test
    void theNodesHistoryIsEachNodesRowInForceAtTheStartAndItsRowsInTheWindow() {
        Jdbi jdbi = Database.open(dir.resolve("cadre.db"));
        NodeStore nodes = new NodeStore(jdbi);
        nodes.upsert(new NodeRecord("n1", "n1.host", List.of(), 4, 1024, 0, NodeRecord.NodeState.UP, T, null));
        Event n1Up = NodeHistoryTest.event("n1", T.minusSeconds(7200), Status.UP, 4);
        Event n1Down = NodeHistoryTest.event("n1", T.minusSeconds(600), Status.DOWN, 4);
        Event n2Up = NodeHistoryTest.event("n2", T.minusSeconds(60), Status.UP, 2);
        Event n1Back = NodeHistoryTest.event("n1", T.plusSeconds(1200), Status.UP, 4);
        Event n2Drained = NodeHistoryTest.event("n2", T.plusSeconds(3600), Status.DRAINED, 2);
        Event n3Up = NodeHistoryTest.event("n3", T.plusSeconds(4000), Status.UP, 8);
        nodes.history().record(List.of(n1Up, n1Down, n2Up, n1Back, n2Drained, n3Up));

        JobSearchQueries.Utilization read = new JobStore(jdbi).search().utilization(T, T.plusSeconds(3600));
        assertEquals(List.of(n1Down, n2Up, n1Back, n2Drained), read.nodeEvents(),
                "n1's earlier row no longer in force, n3's after the window");
        assertEquals(List.of("n1"), read.nodes().stream().map(NodeRecord::id).toList());
    }

    /**
     * A job submitted by another connection once the first of the reads has run: the chart's reads see the file as
     * it was at their first statement, and the writer is not held up by them (a DEFERRED transaction, which takes no
     * write lock). Read statement by statement, the spans would take the new job in after the nodes were read.
     */
    @Test
    void aJobSubmittedWhileTheReadsRunIsInNoneOfThem() {
        Path file = dir.resolve("cadre.db");
        Jdbi reading = Database.open(file);
        JobStore writer = new JobStore(Database.open(file));
        writer.admit(List.of(JobStoreTest.job("before", "alice")));
        AtomicInteger statements = new AtomicInteger(-1);
        reading.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement stmt, StatementContext ctx) {
                // From the second statement of the read on (-1: not counting yet).
                if (statements.get() >= 0 && statements.incrementAndGet() == 2) {
                    writer.admit(List.of(JobStoreTest.job("during", "bob")));
                }
            }
        });
        JobStore store = new JobStore(reading);
        statements.set(0);
        JobSearchQueries.Utilization read = store.search().utilization(T.minusSeconds(60), T.plusSeconds(60));
        assertEquals(4, statements.getAndSet(-1), "the nodes, their history, the suspensions, the spans");
        assertEquals(1, read.spans().size(), "the job submitted meanwhile is not in the spans");
        assertEquals(2, store.search().spans(T.minusSeconds(60), T.plusSeconds(60)).size(), "it was committed");
    }
}
