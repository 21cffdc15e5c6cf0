package dev.cadre.db;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Each user's fair-share usage, kept across a head restart: the decayed CPU-seconds of its jobs' attempts up to a
 * mark, and what the head charges on top of it each --priority-calc-period. A charge reads only the attempts of the
 * jobs unfinished or ended since the mark (through the index on jobs(end_time)), not all history.
 */
public final class FairShareStore {
    /**
     * The usage as last charged.
     *
     * @param chargedUntil up to when attempts were charged; null before the first charge
     * @param weight the head's --priority-weight-fairshare then
     * @param halfLife the head's --priority-decay-half-life then
     * @param usage each user's decayed CPU-seconds
     */
    public record Charged(Instant chargedUntil, long weight, Duration halfLife, Map<String, Double> usage) {
        public Charged {
            usage = Map.copyOf(usage);
        }
    }

    private final Jdbi jdbi;

    FairShareStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Charged read() {
        return jdbi.withHandle(h -> {
            Map<String, Double> usage = new HashMap<>();
            h.createQuery("SELECT user, usage FROM fair_share_usage")
                    .map((rs, ctx) -> usage.put(rs.getString(1), rs.getDouble(2))).list();
            return h.createQuery("SELECT charged_until, weight, half_life FROM fair_share_mark WHERE id = 1")
                    .map((rs, ctx) -> new Charged(Instant.ofEpochMilli(rs.getLong(1)), rs.getLong(2),
                            Duration.ofMillis(rs.getLong(3)), usage))
                    .findOne().orElse(new Charged(null, 0, Duration.ZERO, usage));
        });
    }

    /** The CPU-seconds each user's attempts held in [start, end), as sreport counts them (UsageQueries). */
    public Map<String, Double> cpuSeconds(Instant start, Instant end) {
        Map<String, Double> out = new HashMap<>();
        jdbi.withHandle(h -> h.createQuery("SELECT user, SUM(cpus * held) / 1000.0 FROM (" + UsageQueries.ATTEMPTS
                + ") WHERE held > 0 GROUP BY user").bind("start", start.toEpochMilli())
                .bind("end", end.toEpochMilli()).bind("now", end.toEpochMilli())
                .map((rs, ctx) -> out.put(rs.getString(1), rs.getDouble(2))).list());
        return out;
    }

    /** The users of the jobs not ended: those who queued a job count as sharing the cluster from then on. */
    public List<String> queuedUsers() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT user FROM jobs WHERE end_time IS NULL")
                .mapTo(String.class).list());
    }

    static void writeIn(Handle h, Charged c) {
        h.execute("DELETE FROM fair_share_usage");
        var batch = h.prepareBatch("INSERT INTO fair_share_usage (user, usage) VALUES (?, ?)");
        c.usage().forEach((user, usage) -> batch.add(user, usage));
        if (!c.usage().isEmpty()) {
            batch.execute();
        }
        h.execute("INSERT INTO fair_share_mark (id, charged_until, weight, half_life) VALUES (1, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET charged_until = excluded.charged_until, weight = excluded.weight,"
                + " half_life = excluded.half_life", c.chargedUntil().toEpochMilli(), c.weight(),
                c.halfLife().toMillis());
    }
}
