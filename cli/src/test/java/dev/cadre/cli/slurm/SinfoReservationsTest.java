package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AdvanceReservation;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * sinfo -T as Slurm's print_sinfo_reservation prints it: "%-Ns  %8s  %19s  %19s  %11s  %s" under RESV_NAME STATE
 * START_TIME END_TIME DURATION NODELIST, the name column at least 9 wide and widened to the longest name only with the
 * header; ACTIVE from the start to the end, both included.
 */
class SinfoReservationsTest {
    private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

    private static AdvanceReservation reservation(String name, long fromMinutes, long toMinutes, String... nodes) {
        return new AdvanceReservation(name, NOW.plusSeconds(fromMinutes * 60), NOW.plusSeconds(toMinutes * 60),
                List.of(nodes), List.of("root"), List.of());
    }

    private static final List<AdvanceReservation> ALL = List.of(reservation("maint", -5, 235, "n1", "n2"),
            reservation("alice_whole_day", 60, 60 + 26 * 60, "n3"), reservation("ends", -60, 0, "n4"));

    @Test
    void listsEachReservationWithItsStateTimesDurationAndNodes() {
        assertEquals(List.of(
                "RESV_NAME           STATE           START_TIME             END_TIME     DURATION  NODELIST",
                "maint              ACTIVE  2026-01-15T07:55:00  2026-01-15T11:55:00     04:00:00  n[1-2]",
                "alice_whole_day  INACTIVE  2026-01-15T09:00:00  2026-01-16T11:00:00   1-02:00:00  n3",
                "ends               ACTIVE  2026-01-15T07:00:00  2026-01-15T08:00:00     01:00:00  n4"),
                SinfoReservations.render(ALL, true, NOW, ZoneOffset.UTC));
    }

    @Test
    void withoutTheHeaderTheNameColumnStaysNineWide() {
        assertEquals(List.of(
                "maint        ACTIVE  2026-01-15T07:55:00  2026-01-15T11:55:00     04:00:00  n[1-2]",
                "alice_whole_day  INACTIVE  2026-01-15T09:00:00  2026-01-16T11:00:00   1-02:00:00  n3",
                "ends         ACTIVE  2026-01-15T07:00:00  2026-01-15T08:00:00     01:00:00  n4"),
                SinfoReservations.render(ALL, false, NOW, ZoneOffset.UTC));
        assertEquals(List.of("No reservations in the system"),
                SinfoReservations.render(List.of(), true, NOW, ZoneOffset.UTC));
    }

    @Test
    void dashCapitalTAndReservationAskForTheListInsteadOfBeingRefused() throws Exception {
        assertTrue(SinfoOptions.parse(List.of("-T"), Map.of()).reservations());
        assertTrue(SinfoOptions.parse(List.of("--reservation", "-h"), Map.of()).reservations());
        assertFalse(SinfoOptions.parse(List.of("--reservation", "-h"), Map.of()).header());
        assertFalse(SinfoOptions.parse(List.of(), Map.of()).reservations());
    }
}
