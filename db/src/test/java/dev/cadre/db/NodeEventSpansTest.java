package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.db.NodeEventSpans.Filter;
import dev.cadre.db.NodeEventSpans.Page;
import dev.cadre.db.NodeHistory.Event;
import dev.cadre.db.NodeHistory.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real SQLite file: b (4 cores) up from T-1 h, down (not responding) from T+30 min to T+90 min, up again;
 * a (2 cores) up from T+15 min, drained by alice from T+45 min on, still.
 */
class NodeEventSpansTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final Set<Status> EVENTS = Set.of(Status.DOWN, Status.DRAINED);
    @TempDir
    Path dir;

    private NodeStore filled() {
        NodeStore nodes = new NodeStore(Database.open(dir.resolve("cadre.db")));
        nodes.history().record(List.of(new Event("nb", "b", T.minusSeconds(3600), Status.UP, 4, null, null),
                new Event("na", "a", T.plusSeconds(900), Status.UP, 2, null, null),
                new Event("nb", "b", T.plusSeconds(1800), Status.DOWN, 4, "Not responding", null),
                new Event("na", "a", T.plusSeconds(2700), Status.DRAINED, 2, "disk swap", "alice"),
                new Event("nb", "b", T.plusSeconds(5400), Status.UP, 4, null, null)));
        return nodes;
    }

    private static Filter window(Instant start, Instant end) {
        return new Filter(start, end, List.of(), EVENTS, List.of(), List.of(), null, null);
    }

    private static List<String> lines(Page page) {
        List<String> out = new ArrayList<>();
        for (NodeEventSpans.Span s : page.spans()) {
            out.add(s.event().hostname() + " " + s.event().status() + " " + s.event().time() + " " + s.end() + " "
                    + s.event().reason() + " " + s.event().user());
        }
        return out;
    }

    @Test
    void eachEventEndsAtItsNodesNextRowAndOneStillInForceHasNoEnd() {
        NodeEventSpans events = filled().events();
        Page all = events.read(window(null, null), 100);
        // By host name, then time; b's down time ends at its next row, a's drain is still in force.
        assertEquals(List.of("a DRAINED " + T.plusSeconds(2700) + " null disk swap alice",
                "b DOWN " + T.plusSeconds(1800) + " " + T.plusSeconds(5400) + " Not responding null"), lines(all));
        assertFalse(all.truncated());
    }

    @Test
    void aWindowTakesTheEventsThatOverlapIt() {
        NodeEventSpans events = filled().events();
        // Before either began: nothing. Across b's down time only: b. After b came back: a's drain alone.
        assertEquals(List.of(), lines(events.read(window(T, T.plusSeconds(1800)), 100)));
        assertEquals(List.of("b"), hosts(events.read(window(T.plusSeconds(1000), T.plusSeconds(2000)), 100)));
        assertEquals(List.of("a"), hosts(events.read(window(T.plusSeconds(6000), T.plusSeconds(7000)), 100)));
        // slurmdbd's time_end >= start: an event ending at the window's start is in it.
        assertEquals(List.of("a", "b"), hosts(events.read(window(T.plusSeconds(5400), null), 100)));
    }

    @Test
    void nodesStatesUsersReasonsAndCoresFilter() {
        NodeEventSpans events = filled().events();
        assertEquals(List.of("b"), hosts(events.read(new Filter(null, null, List.of("nb"), EVENTS, List.of(),
                List.of(), null, null), 100)));
        assertEquals(List.of("a"), hosts(events.read(new Filter(null, null, List.of("a", "c"), EVENTS, List.of(),
                List.of(), null, null), 100)));
        assertEquals(List.of("b"), hosts(events.read(new Filter(null, null, List.of(), Set.of(Status.DOWN),
                List.of(), List.of(), null, null), 100)));
        assertEquals(List.of("a"), hosts(events.read(new Filter(null, null, List.of(), EVENTS, List.of("alice"),
                List.of(), null, null), 100)));
        assertEquals(List.of("b"), hosts(events.read(new Filter(null, null, List.of(), EVENTS, List.of(),
                List.of("respond", "nothing like it"), null, null), 100)));
        assertEquals(List.of("b"), hosts(events.read(new Filter(null, null, List.of(), EVENTS, List.of(),
                List.of(), 4, 4), 100)));
        assertEquals(List.of("a", "b"), hosts(events.read(new Filter(null, null, List.of(), EVENTS, List.of(),
                List.of(), 2, 8), 100)));
        // UP rows are no events, but end them.
        assertEquals(List.of("b", "b"), hosts(events.read(new Filter(null, null, List.of("b"), Set.of(Status.UP),
                List.of(), List.of(), null, null), 100)));
    }

    @Test
    void aPageStopsAtItsLimitAndSaysSo() {
        NodeStore nodes = new NodeStore(Database.open(dir.resolve("cadre.db")));
        List<Event> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(new Event("n", "n", T.plusSeconds(2L * i), Status.DRAINED, 1, "r" + i, "root"));
            rows.add(new Event("n", "n", T.plusSeconds(2L * i + 1), Status.UP, 1, null, null));
        }
        nodes.history().record(rows);
        Page page = nodes.events().read(window(null, null), 20);
        assertEquals(20, page.spans().size());
        assertTrue(page.truncated());
        assertEquals("r0", page.spans().get(0).event().reason());
        assertEquals(T.plusSeconds(1), page.spans().get(0).end());
        assertFalse(nodes.events().read(window(null, null), 50).truncated());
    }

    private static List<String> hosts(Page page) {
        return page.spans().stream().map(s -> s.event().hostname()).toList();
    }
}
