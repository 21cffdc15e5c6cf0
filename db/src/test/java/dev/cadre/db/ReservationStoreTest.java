package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.AdvanceReservation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Advance reservations against a real SQLite file: one is read by its name alone (the REST API's GET
 * /api/reservations/NAME), and a recurring one stored again with its next occurrence's times keeps its flags.
 */
class ReservationStoreTest {
    private static final Instant T = Instant.parse("2026-11-24T02:00:00Z");
    @TempDir
    Path dir;

    @Test
    void oneIsFoundByItsNameAndAMovedOneReplacesItsRow() {
        ReservationStore store = new ReservationStore(Database.open(dir.resolve("cadre.db")));
        AdvanceReservation nightly = new AdvanceReservation("nightly", T, T.plusSeconds(3600), List.of("n1", "n2"),
                List.of("root"), List.of("MAINT", "DAILY"));
        store.upsert(nightly);
        store.upsert(new AdvanceReservation("other", T, T.plusSeconds(60), List.of("n3"), List.of("alice"),
                List.of("SPEC_NODES")));
        assertEquals(Optional.of(nightly), store.find("nightly"));
        assertEquals(Optional.empty(), store.find("nope"));
        AdvanceReservation tomorrow = nightly.at(T.plusSeconds(86400), T.plusSeconds(90000));
        store.upsert(tomorrow);
        assertEquals(Optional.of(tomorrow), store.find("nightly"));
        assertEquals(2, store.list().size());
    }
}
