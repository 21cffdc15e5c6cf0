package dev.cadre.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Standing services, written by the scheduler as its reconciler changes them. */
public final class ServiceStore {
    private final Jdbi jdbi;

    public ServiceStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void upsert(ServiceRecord s) {
        jdbi.useHandle(h -> h.createUpdate("INSERT OR REPLACE INTO services (name, spec, state,"
                + " consecutive_failures, last_error, next_attempt, launched, created) VALUES (:name, :spec, :state,"
                + " :failures, :error, :next, :launched, :created)")
                .bind("name", s.name()).bind("spec", MessageCodec.encodeValue(s.spec())).bind("state", s.state())
                .bind("failures", s.consecutiveFailures()).bind("error", s.lastError())
                .bind("next", s.nextAttempt() == null ? null : s.nextAttempt().toEpochMilli())
                .bind("launched", s.launched()).bind("created", s.created().toEpochMilli()).execute());
    }

    public void delete(String name) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM services WHERE name = ?").bind(0, name).execute());
    }

    public List<ServiceRecord> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, spec, state, consecutive_failures, last_error,"
                + " next_attempt, launched, created FROM services ORDER BY name").map((rs, ctx) -> read(rs)).list());
    }

    private static ServiceRecord read(ResultSet rs) throws SQLException {
        try {
            long next = rs.getLong(6);
            Instant nextAttempt = rs.wasNull() ? null : Instant.ofEpochMilli(next);
            return new ServiceRecord(MessageCodec.mapper().readValue(rs.getString(2), ServiceSpec.class),
                    rs.getString(3), rs.getInt(4), rs.getString(5), nextAttempt, rs.getLong(7),
                    Instant.ofEpochMilli(rs.getLong(8)));
        } catch (JsonProcessingException e) {
            throw new SQLException("service " + rs.getString(1) + " has an unreadable spec: " + e.getMessage(), e);
        }
    }
}
