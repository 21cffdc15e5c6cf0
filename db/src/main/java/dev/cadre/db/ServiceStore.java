package dev.cadre.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Standing services, written by the scheduler as its reconciler changes them. */
public final class ServiceStore {
    private static final String UPSERT = "INSERT OR REPLACE INTO services (name, spec, state, consecutive_failures,"
            + " last_error, next_attempt, launched, created, last_failure, replace_at_once, node_failures)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Jdbi jdbi;

    public ServiceStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void upsert(ServiceRecord s) {
        jdbi.useHandle(h -> {
            try (PreparedStatement statement = h.getConnection().prepareStatement(UPSERT)) {
                bind(statement, s);
                statement.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("SQLite refused service " + s.name() + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Writes services inside the job store's transaction: a failure counted for an instance's end is stored with
     * that end, so a crash between the two cannot lose it.
     */
    static void upsertIn(WriteConnection w, List<ServiceRecord> services) throws SQLException {
        if (services.isEmpty()) {
            return;
        }
        PreparedStatement statement = w.statement(UPSERT);
        for (ServiceRecord s : services) {
            bind(statement, s);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, ServiceRecord s) throws SQLException {
        statement.setString(1, s.name());
        statement.setString(2, MessageCodec.encodeValue(s.spec()));
        statement.setString(3, s.state());
        statement.setInt(4, s.consecutiveFailures());
        statement.setString(5, s.lastError());
        setInstant(statement, 6, s.nextAttempt());
        statement.setLong(7, s.launched());
        statement.setLong(8, s.created().toEpochMilli());
        setInstant(statement, 9, s.lastFailure());
        statement.setInt(10, s.replaceAtOnce());
        statement.setInt(11, s.nodeFailures());
    }

    private static void setInstant(PreparedStatement statement, int index, Instant t) throws SQLException {
        if (t == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, t.toEpochMilli());
        }
    }

    public void delete(String name) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM services WHERE name = ?").bind(0, name).execute());
    }

    /** The unfinished instances of a service, oldest first. */
    public List<dev.cadre.protocol.JobRecord> instances(String service) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + JobStore.COLUMNS + " FROM jobs WHERE state IN"
                + " ('PENDING', 'RUNNING', 'COMPLETING', 'REQUEUED', 'SUSPENDED') AND spec <> ''"
                + " AND json_extract(spec, '$.service') = ? ORDER BY id").bind(0, service)
                .map((rs, ctx) -> JobStore.read(rs)).list());
    }

    public List<ServiceRecord> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, spec, state, consecutive_failures, last_error,"
                + " next_attempt, launched, created, last_failure, replace_at_once, node_failures FROM services"
                + " ORDER BY name").map((rs, ctx) -> read(rs)).list());
    }

    private static ServiceRecord read(ResultSet rs) throws SQLException {
        try {
            return new ServiceRecord(MessageCodec.mapper().readValue(rs.getString(2), ServiceSpec.class),
                    rs.getString(3), rs.getInt(4), rs.getString(5), JobStore.instant(rs, 6), rs.getLong(7),
                    Instant.ofEpochMilli(rs.getLong(8)), JobStore.instant(rs, 9), rs.getInt(10), rs.getInt(11));
        } catch (JsonProcessingException e) {
            throw new SQLException("service " + rs.getString(1) + " has an unreadable spec: " + e.getMessage(), e);
        }
    }
}
