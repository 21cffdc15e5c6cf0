package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.NodeHistory.CpuTime;
import dev.cadre.db.NodeHistory.Event;
import dev.cadre.db.NodeHistory.Status;
import dev.cadre.db.UsageQueries.ClusterUsage;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real SQLite file: n1 (4 cores) up from T-1 h, down from T+30 min to T+90 min, up again; n2 (2 cores) up
 * from T+15 min, drained from T+45 min on; n3 (8 cores) up from T-2 h and removed at T+10 min.
 */
class NodeHistoryTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;

    static Event event(String node, Instant at, Status status, int cores) {
        return new Event(node, node + ".host", at, status, cores, status == Status.UP ? null : "why", null);
    }

    private NodeStore filled() {
        NodeStore nodes = new NodeStore(Database.open(dir.resolve("cadre.db")));
        nodes.history().record(List.of(event("n3", T.minusSeconds(7200), Status.UP, 8),
                event("n1", T.minusSeconds(3600), Status.UP, 4), event("n3", T.plusSeconds(600), Status.REMOVED, 8),
                event("n2", T.plusSeconds(900), Status.UP, 2), event("n1", T.plusSeconds(1800), Status.DOWN, 4),
                event("n2", T.plusSeconds(2700), Status.DRAINED, 2), event("n1", T.plusSeconds(5400), Status.UP, 4)));
        return nodes;
    }

    @Test
    void aPeriodCountsEachNodeFromTheRowInForceAtItsStartAndCutsDownTimeAtItsEnd() {
        NodeHistory h = filled().history();
        Instant now = T.plusSeconds(10_000);
        // The first hour: n1 4 x 3600 with 1800 of them down; n2 2 x 2700 with 900 drained; n3 8 x 600.
        assertEquals(new CpuTime(4 * 3600 + 2 * 2700 + 8 * 600, 4 * 1800 + 2 * 900),
                h.cpuTime(T, T.plusSeconds(3600), now));
        // The second hour: n1 down across the boundary until T+90 min, n2 drained all of it, n3 gone.
        assertEquals(new CpuTime(4 * 3600 + 2 * 3600, 4 * 1800 + 2 * 3600),
                h.cpuTime(T.plusSeconds(3600), T.plusSeconds(7200), now));
        // A period running past now ends, for the count, at now.
        assertEquals(new CpuTime(4 * 1000 + 2 * 1000, 2 * 1000),
                h.cpuTime(T.plusSeconds(9000), T.plusSeconds(12_600), now));
        assertEquals(new CpuTime(0, 0), h.cpuTime(T.minusSeconds(20_000), T.minusSeconds(10_000), now));
    }

    @Test
    void aReopenedDatabaseGivesEachNodesLatestRowSoAHeadAwayCarriesTheLastStateOn() {
        filled();
        NodeHistory reopened = new NodeStore(Database.open(dir.resolve("cadre.db"))).history();
        Map<String, Event> latest = reopened.latest();
        assertEquals(Status.UP, latest.get("n1").status());
        assertEquals(T.plusSeconds(5400), latest.get("n1").time());
        assertEquals(Status.DRAINED, latest.get("n2").status());
        assertEquals(Status.REMOVED, latest.get("n3").status());
        // Whatever the head did meanwhile, n1's UP row holds until its next row: no Down time for the head's absence.
        assertEquals(new CpuTime(4 * 3600 + 2 * 3600, 2 * 3600),
                reopened.cpuTime(T.plusSeconds(20_000), T.plusSeconds(23_600), T.plusSeconds(30_000)));
    }

    @Test
    void pruningKeepsEachNodesRowInForceAtTheCutoff() {
        NodeHistory h = filled().history();
        Instant now = T.plusSeconds(10_000);
        CpuTime before = h.cpuTime(T.plusSeconds(3600), T.plusSeconds(7200), now);
        // Before T+1 h: n1's UP at T-1 h goes (its DOWN at T+30 min is in force), n2's UP goes (its drain is in
        // force), n3's rows all go (removed).
        assertEquals(4, h.prune(T.plusSeconds(3600)));
        assertEquals(before, h.cpuTime(T.plusSeconds(3600), T.plusSeconds(7200), now));
        assertEquals(List.of(Status.DOWN, Status.DRAINED, Status.UP), h.between(Instant.EPOCH, now).stream()
                .map(Event::status).toList());
    }

    @Test
    void theUtilizationSplitsTheNodesTimeIntoAllocatedDownAndIdle() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        filled();
        // A 3-CPU job from T+5 min to T+25 min, on n1.
        JobRecord j = store.admit(List.of(JobStoreTest.job("a", "alice"))).get(0).job();
        Instant start = T.plusSeconds(300);
        Instant end = T.plusSeconds(1500);
        JobRecord running = j.started(1, new Allocation(List.of(new Allocation.NodeSlots("n1", "n1.host", 1, 3, 0,
                0))), start);
        store.save(List.of(new JobChange(running, j.state(), start, new AttemptRecord(j.id(), 1, "n1.host", start,
                null, null, null, null, null))));
        store.save(List.of(new JobChange(running.ended(dev.cadre.protocol.JobState.COMPLETED, null, 0, 0, end),
                dev.cadre.protocol.JobState.RUNNING, end, new AttemptRecord(j.id(), 1, "n1.host", start, end,
                        dev.cadre.protocol.JobState.COMPLETED, 0, 0, null))));
        long total = 4 * 3600 + 2 * 2700 + 8 * 600;
        long down = 4 * 1800 + 2 * 900;
        assertEquals(new ClusterUsage(total, 3 * 1200, down, 0, total - 3 * 1200 - down, 0),
                store.usage().cluster(T, T.plusSeconds(3600), T.plusSeconds(10_000)));
        // With no node known in the period, the job's time is more than the nodes had: Slurm's rollup caps it.
        assertEquals(new ClusterUsage(0, 0, 0, 0, 0, 0), new JobStore(Database.open(dir.resolve("other.db"))).usage()
                .cluster(T, T.plusSeconds(3600), T.plusSeconds(10_000)));
        assertEquals(ClusterUsage.of(new CpuTime(100, 80), 50), new ClusterUsage(100, 50, 50, 0, 0, 0));
    }
}
