package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadSightingsTest {
    private final HeadSightings sightings = new HeadSightings("cadre");
    private final Map<String, String> good = new HeadRecord("cadre", "tcp://10.213.0.10:61616").txt();

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
    }
}
