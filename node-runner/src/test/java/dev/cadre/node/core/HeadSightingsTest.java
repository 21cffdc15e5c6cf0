package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeadSightingsTest {
    private final SteppedClock clock = new SteppedClock();
    private final HeadSightings sightings = new HeadSightings("cadre", clock, Duration.ofSeconds(2));
    private final Map<String, String> good = new HeadRecord("cadre", "tcp://10.213.0.10:61616").txt();
    private final Map<String, String> second = new HeadRecord("cadre", "tcp://10.213.0.11:61616").txt();

    @Test
    void aResolutionWithoutKeysWaitsForTheNextOne() {
        assertEquals(HeadSightings.Kind.INCOMPLETE, sightings.see("head", Map.of()).kind());
        HeadSightings.Verdict v = sightings.see("head", good);
        assertEquals(HeadSightings.Kind.FOUND, v.kind());
        assertEquals("tcp://10.213.0.10:61616", v.head().brokerUrl());
    }

    @Test
    void theSameRecordResolvedAgainIsJudgedOnce() {
        Map<String, String> hostile = Map.of("v", "1", "cluster", "cadre", "broker", "tcp://x:1?trust=all");
        assertEquals(HeadSightings.Kind.MALFORMED, sightings.see("evil", hostile).kind());
        assertEquals(HeadSightings.Kind.REPEAT, sightings.see("evil", hostile).kind());
        assertEquals(HeadSightings.Kind.FOUND, sightings.see("head", good).kind());
        assertEquals(HeadSightings.Kind.REPEAT, sightings.see("head", good).kind());
    }

    @Test
    void headsOfOtherClustersAreIgnored() {
        HeadSightings.Verdict v = sightings.see("other", new HeadRecord("lab", "tcp://10.0.0.9:61616").txt());
        assertEquals(HeadSightings.Kind.OTHER_CLUSTER, v.kind());
        assertEquals("cluster 'lab', not 'cadre'", v.reason());
        assertEquals(Optional.empty(), sightings.settlesAt(), "another cluster's head starts no window");
    }

    @Test
    void theHeadsOfTheClusterAreGatheredForAWindowAfterTheFirst() {
        assertEquals(Optional.empty(), sightings.settled());
        sightings.see("cadre", good);
        assertEquals(Optional.empty(), sightings.settled(), "the window has only begun");
        clock.advance(Duration.ofMillis(1500));
        sightings.see("cadre (2)", second);
        sightings.see("cadre (3)", good);
        assertEquals(Optional.empty(), sightings.settled());
        clock.advance(Duration.ofMillis(500));
        List<HeadSightings.Sighting> heads = sightings.settled().orElseThrow();
        assertEquals(List.of(new HeadSightings.Sighting("cadre", new HeadRecord("cadre", "tcp://10.213.0.10:61616")),
                new HeadSightings.Sighting("cadre (2)", new HeadRecord("cadre", "tcp://10.213.0.11:61616"))), heads,
                "one head under two names is one head; the order is the order seen");
        assertEquals(Optional.of("2 heads announce cluster 'cadre': 'cadre' at tcp://10.213.0.10:61616, 'cadre (2)' at"
                + " tcp://10.213.0.11:61616; this node tries them in that order and joins the first that accepts its"
                + " node.json; give each cluster its own --cluster NAME (head and nodes), or pass --server"),
                HeadSightings.conflict("cadre", heads));
        assertEquals(Optional.empty(), HeadSightings.conflict("cadre", heads.subList(0, 1)));
    }

    /** A restarted node: the head it joined last needs no window, and comes first of what was seen. */
    @Test
    void theHeadJoinedLastIsTakenAsSoonAsItIsSeen() {
        HeadSightings restarted = new HeadSightings("cadre", clock, Duration.ofSeconds(5), "tcp://10.213.0.11:61616");
        restarted.see("cadre", good);
        assertEquals(Optional.empty(), restarted.settled(), "another head: the window still holds");
        restarted.announced("cadre (2)");
        restarted.see("cadre (2)", second);
        assertEquals(List.of("tcp://10.213.0.11:61616", "tcp://10.213.0.10:61616"), restarted.settled().orElseThrow()
                .stream().map(h -> h.head().brokerUrl()).toList(), "at once, with no time passed");

        HeadSightings moved = new HeadSightings("cadre", clock, Duration.ofSeconds(5), "tcp://10.213.0.99:61616");
        moved.see("cadre", good);
        assertEquals(Optional.empty(), moved.settled(), "the head joined last is not announced: the window holds");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(1, moved.settled().orElseThrow().size());
    }

    @Test
    void theWindowWaitsForAnnouncedServicesToResolveButNotForEver() {
        sightings.see("cadre", good);
        sightings.announced("cadre (2)");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(Optional.empty(), sightings.settled(), "a second head was announced: wait for its record");
        sightings.see("cadre (2)", second);
        assertEquals(2, sightings.settled().orElseThrow().size());

        sightings.announced("silent");
        assertEquals(Optional.empty(), sightings.settled());
        clock.advance(Duration.ofSeconds(8));
        assertEquals(2, sightings.settled().orElseThrow().size(), "one that never resolves holds up 5 windows at most");
    }

    @Test
    void floodsOfBadAnnouncementsAreRememberedAndLoggedOnlyUpToABound() {
        int logged = 0;
        int muted = 0;
        String mutedReason = null;
        for (int i = 0; i < 5000; i++) {
            HeadSightings.Verdict v = sightings.see("evil-" + i, Map.of("v", "1", "cluster", "cadre", "broker",
                    "tcp://10.0.0.1:1?x=" + i));
            if (v.kind() == HeadSightings.Kind.MALFORMED) {
                logged++;
            } else {
                assertEquals(HeadSightings.Kind.MUTED, v.kind());
                if (v.reason() != null) {
                    assertNull(mutedReason, "the muting is said once");
                    mutedReason = v.reason();
                }
                muted++;
            }
        }
        assertEquals(HeadSightings.MAX_LOGGED, logged);
        assertEquals(5000 - HeadSightings.MAX_LOGGED, muted);
        assertEquals("20 ignored mDNS announcements logged; not logging further ones", mutedReason);
        assertTrue(sightings.remembered() <= HeadSightings.MAX_REMEMBERED, "remembered " + sightings.remembered());
        assertEquals(HeadSightings.Kind.FOUND, sightings.see("cadre", good).kind(), "the real head still counts");

        for (int i = 0; i < 50; i++) {
            sightings.see("fake-" + i, new HeadRecord("cadre", "tcp://10.1.0." + i + ":61616").txt());
        }
        assertEquals(HeadSightings.MAX_CANDIDATES, sightings.candidates().size());
        assertEquals("tcp://10.213.0.10:61616", sightings.candidates().get(0).head().brokerUrl());
    }
}
