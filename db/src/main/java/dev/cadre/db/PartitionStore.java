package dev.cadre.db;

import dev.cadre.protocol.Partition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Partitions (table {@code partitions}): written by the scheduler as an operator creates, updates or deletes one,
 * read back by a starting head and by the REST API. An empty table is Cadre's first partition alone
 * ({@link Partition#first}).
 */
public final class PartitionStore {
    private final Jdbi jdbi;

    public PartitionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores the partitions given and deletes the others, in one transaction: a change of the default touches two
     * rows, and a head must never read them half done.
     */
    public void replaceAll(List<Partition> partitions) {
        jdbi.useTransaction(h -> {
            h.execute("DELETE FROM partitions");
            for (Partition p : partitions) {
                h.createUpdate("INSERT INTO partitions (name, nodes, is_default, max_time, default_time, state)"
                        + " VALUES (?, ?, ?, ?, ?, ?)").bind(0, p.name()).bind(1, p.nodes())
                        .bind(2, p.isDefault() ? 1 : 0).bind(3, p.maxTimeMinutes()).bind(4, p.defaultTimeMinutes())
                        .bind(5, p.state()).execute();
            }
        });
    }

    /** Every stored partition by name, or {@link Partition#first} alone when none is stored. */
    public List<Partition> list() {
        List<Partition> stored = jdbi.withHandle(h -> h.createQuery("SELECT name, nodes, is_default, max_time,"
                + " default_time, state FROM partitions ORDER BY rowid").map((rs, ctx) -> read(rs)).list());
        return stored.isEmpty() ? List.of(Partition.first()) : stored;
    }

    private static Partition read(ResultSet rs) throws SQLException {
        return new Partition(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, nullable(rs, 4), nullable(rs, 5),
                rs.getString(6));
    }

    private static Long nullable(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
