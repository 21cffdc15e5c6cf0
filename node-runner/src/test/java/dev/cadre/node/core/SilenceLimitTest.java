package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilenceLimitTest {
    private static final Duration OLD_HEADS = SilenceLimit.WITHOUT_NODE_TIMEOUT;

    @Test
    void theLimitIsTheHeadsNodeTimeoutAndFiveSeconds() {
        assertEquals(Duration.ofSeconds(65), SilenceLimit.of(60_000L, OLD_HEADS));
        assertEquals(Duration.ofSeconds(305), SilenceLimit.of(300_000L, OLD_HEADS));
        assertEquals(Duration.ofMillis(8_500), SilenceLimit.of(3_500L, OLD_HEADS));
        assertEquals(Duration.ofDays(1).plusSeconds(5), SilenceLimit.of(86_400_000L, OLD_HEADS));
    }

    @Test
    void aPlaceJobWithoutTheNodeTimeoutKeepsTheFixedLimit() {
        assertEquals(Duration.ofSeconds(65), SilenceLimit.of(null, OLD_HEADS));
        assertEquals(Duration.ofSeconds(2), SilenceLimit.of(null, Duration.ofSeconds(2)));
    }

    @Test
    void noNodeTimeoutOutsideOneMillisecondToADayIsTaken() {
        for (long bad : new long[] {0, -1, 86_400_001L, Long.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SilenceLimit.of(bad, OLD_HEADS));
            assertTrue(e.getMessage().contains("node timeout") && e.getMessage().contains(Long.toString(bad)),
                    e.getMessage());
        }
    }

    @Test
    void aPlaceJobCarriesTheNodeTimeoutAndRefusesABadOne() throws Exception {
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir("/tmp").script("#!/bin/sh\n").build();
        Allocation allocation = new Allocation(List.of(new Allocation.NodeSlots("n1", "h1", 1, 1, 0, 0)));
        var place = new NodeCommand.PlaceJob(7, 1, spec, allocation, "t".repeat(64), null, null, 90_000L);
        String json = MessageCodec.encode(place);
        assertEquals(place, MessageCodec.decode(json, NodeCommand.PlaceJob.class));
        assertEquals(Duration.ofSeconds(95), SilenceLimit.forPlace(place, OLD_HEADS));
        assertEquals(OLD_HEADS, SilenceLimit.forPlace(new NodeCommand.PlaceJob(7, 1, spec, allocation,
                "t".repeat(64), null, "k".repeat(32)), OLD_HEADS), "a head before the field");
        assertEquals(OLD_HEADS, SilenceLimit.forPlace(null, OLD_HEADS), "an attempt no longer held");

        ProtocolException refused = assertThrows(ProtocolException.class, () -> MessageCodec.decode(
                json.replace("90000", "0"), NodeCommand.PlaceJob.class));
        assertEquals(RejectionCode.INVALID_FIELD, refused.code());
        assertTrue(refused.getMessage().contains("nodeTimeoutMillis must be from 1 to 86400000"),
                refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NodeCommand.PlaceJob(7, 1, spec, allocation,
                "t".repeat(64), null, null, -5L));
    }
}
