package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reservations as a job started at one time meets them: a daily reservation whose stored occurrence ended
 * yesterday keeps its node in today's, worked out once for that time and the same for every job and node judged.
 */
class ReservedNodesTest {
    /** Daily 12:00-13:00 on n1, stored as 2026-11-25's: ended by the 26th's morning. */
    private static final AdvanceReservation DAILY = new AdvanceReservation("daily",
            Instant.parse("2026-11-25T12:00:00Z"), Instant.parse("2026-11-25T13:00:00Z"), List.of("n1"),
            List.of("alice"), List.of(AdvanceReservation.DAILY));
    private static final AdvanceReservation ONCE = new AdvanceReservation("once",
            Instant.parse("2026-11-26T20:00:00Z"), Instant.parse("2026-11-26T21:00:00Z"), List.of("n2"),
            List.of("alice"), List.of());
    private static final ReservedNodes RESERVED = new ReservedNodes(List.of(DAILY, ONCE), ZoneOffset.UTC);

    private static JobSpec job(long limitSeconds, String reservation) {
        return JobSpec.builder().name("j").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp")
                .timeLimitSeconds(limitSeconds).reservation(reservation).build();
    }

    @Test
    void aStartMeetsEachReservationsOccurrenceInForceThen() {
        ReservedNodes.At morning = RESERVED.at(Instant.parse("2026-11-26T10:00:00Z"));
        assertEquals(List.of(Instant.parse("2026-11-26T12:00:00Z"), Instant.parse("2026-11-26T20:00:00Z")),
                morning.occurrences().stream().map(AdvanceReservation::startTime).toList(), "today's, and the one");
        assertTrue(morning.bars(job(3 * 3600, null), "n1"), "three hours from 10:00 reach today's noon");
        assertFalse(morning.bars(job(3600, null), "n1"), "one hour ends before it");
        assertFalse(morning.bars(job(3 * 3600, null), "n3"), "a node no reservation holds");
        assertTrue(morning.bars(job(3600, "daily"), "n1"), "its own, not active yet");
        ReservedNodes.At noon = RESERVED.at(Instant.parse("2026-11-26T12:30:00Z"));
        assertFalse(noon.bars(job(600, "daily"), "n1"), "its own, active now");
        assertTrue(noon.bars(job(600, "daily"), "n2"), "a node outside its own");
        assertSame(new ReservedNodes(List.of(ONCE), ZoneOffset.UTC).at(Instant.EPOCH).occurrences().get(0), ONCE,
                "nothing recurs: the stored reservations as they are");
    }
}
