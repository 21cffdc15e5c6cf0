package dev.cadre.db;

import dev.cadre.protocol.AdvanceReservation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Advance reservations (table {@code reservations}): written by the scheduler as an operator creates, updates or
 * deletes one and as one ends, read back by a starting head and by the REST API.
 */
public final class ReservationStore {
    private final Jdbi jdbi;

    public ReservationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Stores the reservation, replacing the row of its name. */
    public void upsert(AdvanceReservation r) {
        jdbi.useHandle(h -> h.createUpdate("INSERT OR REPLACE INTO reservations (name, start_time, end_time, nodes,"
                + " users, flags) VALUES (?, ?, ?, ?, ?, ?)").bind(0, r.name()).bind(1, r.startTime().toEpochMilli())
                .bind(2, r.endTime().toEpochMilli()).bind(3, String.join(",", r.nodes()))
                .bind(4, String.join(",", r.users())).bind(5, String.join(",", r.flags())).execute());
    }

    /** Forgets the reservation; one already gone changes nothing. */
    public void delete(String name) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM reservations WHERE name = ?").bind(0, name).execute());
    }

    /** Every stored reservation, the earliest first (by name among equal starts). */
    public List<AdvanceReservation> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, start_time, end_time, nodes, users, flags"
                + " FROM reservations ORDER BY start_time, name").map((rs, ctx) -> read(rs)).list());
    }

    /** The reservation of this name, read alone; empty when none has it. */
    public Optional<AdvanceReservation> find(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, start_time, end_time, nodes, users, flags"
                + " FROM reservations WHERE name = ?").bind(0, name).map((rs, ctx) -> read(rs)).findOne());
    }

    private static AdvanceReservation read(ResultSet rs) throws SQLException {
        return new AdvanceReservation(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                Instant.ofEpochMilli(rs.getLong(3)), split(rs.getString(4)), split(rs.getString(5)),
                split(rs.getString(6)));
    }

    private static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
