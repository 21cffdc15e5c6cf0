package dev.cadre.db;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The control requests the scheduler has carried out, by key, with their answers (docs/protocol.md 7.7): a copy of
 * one that comes again is answered from here instead of being applied twice. Written in the transaction of the
 * request's own changes ({@link JobStore#save}), so that a head that stops between the two cannot store one without
 * the other; a node request's answer right after its node's change (docs/protocol.md 7.7). A repeat comes within minutes (a client's patience, a broker's redelivery), so rows are kept for
 * {@link #KEPT_FOR} and at most {@link #MOST_KEPT} of them, the oldest going first; but never fewer than those of
 * the last {@link #ALWAYS_KEPT_FOR}, so that a burst of requests (a script cancelling tasks one by one) cannot drop
 * the answer a slow client is about to ask again for. Whatever their age, they take at most {@link #MOST_BYTES}, the
 * oldest going first again, as one answer can be large.
 */
public final class AnsweredRequests {
    public static final Duration KEPT_FOR = Duration.ofHours(24);
    public static final int MOST_KEPT = 100_000;
    /** Twice the CLI's patience (5 minutes), over which its copies of one request come. */
    public static final Duration ALWAYS_KEPT_FOR = Duration.ofMinutes(10);
    /**
     * The most bytes of keys, fingerprints and answers (UTF-8) kept, the oldest answers going first. An answer can
     * take up to a message's 1 MiB (21 characters of cancel list over a small array answer with 512 KiB of ranges),
     * so the count alone let anyone keep some 50 GB on the head's disk within a day. 256 MiB keeps the latest 256
     * answers even of the largest kind, and leaves the count to bind first while answers average under 2.6 KiB
     * (most take a few hundred bytes); it is small beside the job history the same file keeps (docs/operations.md).
     * It holds over {@link #ALWAYS_KEPT_FOR} too: a burst of huge answers may drop one that a slow client asks for
     * again, which is then carried out again as an expired one is, rather than fill the disk. The newest answer is
     * kept even when it alone is larger, so that no request is carried out twice for its answer's size.
     */
    public static final long MOST_BYTES = 256L << 20;
    /** Drops what is past {@link #MOST_KEPT} and older than {@link #ALWAYS_KEPT_FOR}. */
    private static final String COUNT_BOUND = "DELETE FROM answered_requests WHERE answered_at <= min(?, (SELECT answered_at"
            + " FROM answered_requests WHERE rowid <= (SELECT MAX(rowid) FROM answered_requests) - ? ORDER BY rowid"
            + " DESC LIMIT 1))";

    /**
     * @param key the request's id, scoped so that a client's ids and the broker's stamps cannot meet
     * @param fingerprint what the request asked (its JSON without its id, hashed): the same key with another
     *        request is a client's mistake, refused rather than answered with the other's answer
     */
    public record Answered(String key, String fingerprint, ClientReply answer, Instant at) {
    }

    private final Jdbi jdbi;

    AnsweredRequests(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The request carried out under this key, if it is kept and answered within {@link #KEPT_FOR} of {@code now}:
     * an older row that no later answer has dropped yet is not served, as the copy of a request that old is carried
     * out again (docs/protocol.md 7.7).
     */
    public Optional<Answered> find(String key, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT fingerprint, answer, answered_at FROM answered_requests"
                + " WHERE request_key = ? AND answered_at >= ?").bind(0, key)
                .bind(1, now.minus(KEPT_FOR).toEpochMilli())
                .map((rs, ctx) -> new Answered(key, rs.getString(1), reply(key, rs.getString(2)),
                        Instant.ofEpochMilli(rs.getLong(3))))
                .findOne());
    }

    private static ClientReply reply(String key, String json) throws SQLException {
        try {
            return MessageCodec.decode(json, ClientReply.class);
        } catch (ProtocolException e) {
            throw new SQLException("the stored answer to request " + key + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Stores the answer inside the job store's transaction, and drops what is past the bounds meanwhile. */
    static void rememberIn(WriteConnection w, Answered a) throws SQLException {
        rememberIn(w, a, MOST_BYTES);
    }

    /** As {@link #rememberIn(WriteConnection, Answered)} under another bound on the bytes (tests fill a small one). */
    static void rememberIn(WriteConnection w, Answered a, long mostBytes) throws SQLException {
        if (a == null) {
            return;
        }
        // An expired answer's key answered again: deleted rather than INSERT OR REPLACE'd, whose deletion fires no
        // trigger and would leave the old row's bytes in the total (Schema).
        PreparedStatement replaced = w.statement("DELETE FROM answered_requests WHERE request_key = ?");
        replaced.setString(1, a.key());
        replaced.executeUpdate();
        String answer = MessageCodec.encode(a.answer());
        PreparedStatement insert = w.statement("INSERT INTO answered_requests (request_key, fingerprint, answer,"
                + " answered_at, bytes) VALUES (?, ?, ?, ?, ?)");
        insert.setString(1, a.key());
        insert.setString(2, a.fingerprint());
        insert.setString(3, answer);
        insert.setLong(4, a.at().toEpochMilli());
        insert.setLong(5, bytes(a.key()) + bytes(a.fingerprint()) + bytes(answer));
        insert.executeUpdate();
        // Both by index (the time's, the rowid's): nothing to drop costs a lookup, not a scan.
        PreparedStatement old = w.statement("DELETE FROM answered_requests WHERE answered_at < ?");
        old.setLong(1, a.at().minus(KEPT_FOR).toEpochMilli());
        old.executeUpdate();
        // Past the count, by the time of the newest row over it (rows go in in time order), through the time's index
        // with one bound (min: SQLite ranges an index by one bound alone and tests a second row by row), so that no
        // row is read that does not go; a NULL (fewer rows than the count) makes min NULL and reads nothing.
        PreparedStatement many = w.statement(COUNT_BOUND);
        many.setLong(1, a.at().minus(ALWAYS_KEPT_FOR).toEpochMilli() - 1);
        many.setLong(2, MOST_KEPT);
        many.executeUpdate();
        dropPastBytes(w, a.key(), mostBytes);
    }

    private static long bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Drops the oldest answers but the newest until the total, which the schema's triggers keep in the same
     * transaction (so a rolled-back write leaves it right), is back within the bound: a lookup when it is, and
     * otherwise a walk by rowid (time order) over just the rows that go.
     */
    private static void dropPastBytes(WriteConnection w, String newest, long mostBytes) throws SQLException {
        long over;
        try (ResultSet rs = w.statement("SELECT total FROM answered_requests_bytes").executeQuery()) {
            rs.next();
            over = rs.getLong(1) - mostBytes;
        }
        if (over <= 0) {
            return;
        }
        PreparedStatement oldest = w.statement("SELECT rowid, bytes FROM answered_requests WHERE request_key <> ?"
                + " ORDER BY rowid");
        oldest.setString(1, newest);
        long last = 0;
        try (ResultSet rs = oldest.executeQuery()) {
            while (over > 0 && rs.next()) {
                last = rs.getLong(1);
                over -= rs.getLong(2);
            }
        }
        if (last > 0) {
            PreparedStatement drop = w.statement("DELETE FROM answered_requests WHERE rowid <= ?");
            drop.setLong(1, last);
            drop.executeUpdate();
        }
    }
}
