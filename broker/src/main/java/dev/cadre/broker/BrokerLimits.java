package dev.cadre.broker;

import dev.cadre.protocol.MessageCodec;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How much the broker lets messages take, in memory and on disk, so that no client can fill the head: the head's
 * heap is shared with the scheduler and the web server, and a full disk stops every producer, node heartbeats
 * included.
 *
 * @param globalMaxBytes memory every address together may hold; past it Cadre's own queues page to disk and the
 *        addresses clients can reach refuse more
 * @param clientDiskPercent disk usage (of the broker's file system) above which submitters' sends are refused, so
 *        that submissions stop before Artemis stops everything at {@link #BROKER_DISK_PERCENT}
 * @param eventRetention how long an event on {@code cadre.events} waits for a subscriber that is away (a durable
 *        subscription nobody reads) before it is dropped, so that an abandoned subscription cannot fill the disk
 * @param submitter what the submitter account may hold at once
 */
public record BrokerLimits(long globalMaxBytes, int clientDiskPercent, Duration eventRetention,
        SubmitterBounds submitter) {
    /** Overrides the memory default, e.g. {@code 512m} or {@code 2g}. */
    public static final String MEMORY_ENV = "CADRE_BROKER_MEMORY";
    static final long MIN_MEMORY_BYTES = 1L << 20;
    /** Overrides {@link #DEFAULT_CLIENT_DISK_PERCENT}. */
    public static final String CLIENT_DISK_ENV = "CADRE_BROKER_CLIENT_DISK_PERCENT";
    /** Artemis blocks every producer, heartbeats too, once its disk is fuller than this. */
    public static final int BROKER_DISK_PERCENT = 98;
    public static final int DEFAULT_CLIENT_DISK_PERCENT = 95;
    /** Overrides {@link #DEFAULT_EVENT_RETENTION}, e.g. {@code 12h} or {@code 30d}. */
    public static final String EVENT_RETENTION_ENV = "CADRE_BROKER_EVENT_RETENTION";
    /** As long as dead letters are kept: a subscriber away over a long weekend still finds every event. */
    public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofDays(7);
    static final Duration MIN_EVENT_RETENTION = Duration.ofSeconds(1);
    static final Duration MAX_EVENT_RETENTION = Duration.ofDays(365);
    private static final Map<Character, Long> BYTES = Map.of('k', 1L << 10, 'm', 1L << 20, 'g', 1L << 30);
    private static final Map<Character, Long> SECONDS = Map.of('s', 1L, 'm', 60L, 'h', 3600L, 'd', 86_400L);
    /**
     * The largest message the broker takes on a request address. A body may hold 1 MiB of characters
     * ({@link MessageCodec#MAX_BYTES}), which UTF-8 writes in up to 3 bytes each; the rest is room for headers. The
     * receivers check the exact limit; this keeps a message far past it from being stored or delivered at all.
     */
    public static final int MAX_REQUEST_BYTES = 4 * MessageCodec.MAX_BYTES;
    /** Unread messages one temporary queue may hold (an exec relay that falls behind its command's output). */
    public static final long TEMPORARY_QUEUE_BYTES = 32L << 20;
    /** Unread messages any other address a client can reach may hold (a STOMP reply address, say). */
    public static final long CLIENT_ADDRESS_BYTES = 16L << 20;
    /**
     * The largest STOMP frame the broker reads: a request at the broker's limit and room for its headers. Artemis
     * reads a STOMP frame whole before anything can refuse it, and no address takes a larger message from a client.
     */
    public static final int MAX_STOMP_FRAME_BYTES = MAX_REQUEST_BYTES + (64 << 10);
    /**
     * The largest CORE packet the broker reads from the network. Artemis' decoder buffers a packet whole, up to 2 GiB,
     * before anything can refuse it, the login included. Cadre's clients (nodes, exec relays, the Slurm commands,
     * {@code CadreClient}) keep Artemis' minLargeMessageSize of 100 KiB: a message with a larger body (a submission up
     * to {@link #MAX_REQUEST_BYTES}, a batch of runner events, output) goes in packets of 100 KiB, and a smaller one
     * with a few short properties, so their packets stay near 100 KiB however large the message. A client that raises
     * minLargeMessageSize sends a message whole, in one packet; but the broker keeps no request over
     * {@link #MAX_REQUEST_BYTES}, and a reply queue, the only other address users but admin send to, holds
     * {@link #TEMPORARY_QUEUE_BYTES}. 64 MiB is twice the larger of these and 640 times Cadre's own packets; it is what
     * one connection can make the head hold at most. The head's own parts connect in-VM: no network, no limit.
     */
    public static final int MAX_CORE_PACKET_BYTES = 64 << 20;
    /** A reply nobody read in this time is dropped. */
    public static final Duration REPLY_EXPIRY = Duration.ofHours(1);
    /** A dead letter is dropped after this time. */
    public static final Duration DEAD_LETTER_EXPIRY = Duration.ofDays(7);

    /**
     * What the one submitter account, which every client of the cluster shares, may make the broker hold at once:
     * each session and queue costs the head's heap (a subscription on an address of its own about 50 KB), and a
     * durable subscription also outlives its owner and the head's restarts. Past a bound the broker refuses with
     * an error naming it (AMQ229110, AMQ229111, or {@link DurableSubscriptionLimit}'s).
     *
     * @param sessions broker sessions (a {@code CadreClient} holds 4, one more per watch; a STOMP connection 1)
     * @param queues queues, temporary ones included, which Artemis counts too (a {@code CadreClient} holds 2, its
     *        reply queue and its subscription to its jobs' endings, one more per watch; a Slurm command 1 or 2)
     * @param durableEventSubscriptions durable subscriptions on {@code cadre.events}, counted among the queues
     */
    public record SubmitterBounds(int sessions, int queues, int durableEventSubscriptions) {
        /** Room for about 1,000 clients at once, each with a watch, and 100 durable subscribers. */
        public static final SubmitterBounds DEFAULTS = new SubmitterBounds(4_000, 2_000, 100);

        public SubmitterBounds {
            if (sessions < 1 || queues < 1 || durableEventSubscriptions < 1 || durableEventSubscriptions > queues) {
                throw new IllegalArgumentException("the submitter account needs at least one session and one queue,"
                        + " and at least one and at most its queues' durable subscriptions, not " + sessions
                        + " sessions, " + queues + " queues and " + durableEventSubscriptions
                        + " durable subscriptions");
            }
        }
    }

    /** With the submitter account's default bounds. */
    public BrokerLimits(long globalMaxBytes, int clientDiskPercent, Duration eventRetention) {
        this(globalMaxBytes, clientDiskPercent, eventRetention, SubmitterBounds.DEFAULTS);
    }

    public BrokerLimits {
        if (submitter == null) {
            throw new IllegalArgumentException("the submitter account's bounds are required");
        }
        if (globalMaxBytes < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("the broker's memory limit must be at least 1m, not " + globalMaxBytes
                    + " bytes");
        }
        if (clientDiskPercent < 1 || clientDiskPercent > BROKER_DISK_PERCENT) {
            throw new IllegalArgumentException("the disk usage at which submissions stop must be from 1 to "
                    + BROKER_DISK_PERCENT + " percent, not " + clientDiskPercent);
        }
        if (eventRetention == null || eventRetention.compareTo(MIN_EVENT_RETENTION) < 0
                || eventRetention.compareTo(MAX_EVENT_RETENTION) > 0) {
            throw new IllegalArgumentException("events must be kept for offline subscribers from 1s to 365d, not "
                    + (eventRetention == null ? null : describe(eventRetention)));
        }
    }

    /**
     * The memory {@code cadre.events} may hold before it pages to disk: its own share, so that events kept for a
     * subscriber that is away cannot take the memory every address shares (past which client addresses refuse).
     */
    public long eventMemoryBytes() {
        return Math.max(1L << 20, globalMaxBytes / 8);
    }

    /** A quarter of the heap (Artemis' own default is half, which it would share with the scheduler and web). */
    public static BrokerLimits defaults() {
        return new BrokerLimits(Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4), DEFAULT_CLIENT_DISK_PERCENT,
                DEFAULT_EVENT_RETENTION);
    }

    /**
     * The defaults, with what {@link #MEMORY_ENV}, {@link #CLIENT_DISK_ENV} and {@link #EVENT_RETENTION_ENV} set
     * instead (blank: the default).
     *
     * @throws IllegalArgumentException naming the variable, the values it takes and the value given
     */
    public static BrokerLimits fromEnvironment(Map<String, String> env) {
        BrokerLimits d = defaults();
        long bytes = d.globalMaxBytes();
        String memory = env.get(MEMORY_ENV);
        if (memory != null && !memory.isBlank()) {
            bytes = scaled(memory, BYTES);
            if (bytes < MIN_MEMORY_BYTES) {
                throw refused(MEMORY_ENV, "a size of at least 1m, such as 512m or 2g", memory);
            }
        }
        int percent = d.clientDiskPercent();
        String disk = env.get(CLIENT_DISK_ENV);
        if (disk != null && !disk.isBlank()) {
            try {
                percent = Integer.parseInt(disk.strip());
            } catch (NumberFormatException e) {
                percent = 0;
            }
            if (percent < 1 || percent > BROKER_DISK_PERCENT) {
                throw refused(CLIENT_DISK_ENV, "a whole percentage from 1 to " + BROKER_DISK_PERCENT, disk);
            }
        }
        Duration kept = d.eventRetention();
        String retention = env.get(EVENT_RETENTION_ENV);
        if (retention != null && !retention.isBlank()) {
            long seconds = scaled(retention, SECONDS);
            if (seconds < MIN_EVENT_RETENTION.toSeconds() || seconds > MAX_EVENT_RETENTION.toSeconds()) {
                throw refused(EVENT_RETENTION_ENV, "a duration from 1s to 365d: seconds (3600) or a number with s, m,"
                        + " h or d (90m, 12h, 30d)", retention);
            }
            kept = Duration.ofSeconds(seconds);
        }
        return new BrokerLimits(bytes, percent, kept);
    }

    private static IllegalArgumentException refused(String variable, String expected, String given) {
        return new IllegalArgumentException(variable + " must be " + expected + ", not '" + given + "'");
    }

    /** A duration in its largest whole unit, as the variable takes it: {@code 7d}, {@code 90m}. */
    static String describe(Duration d) {
        long s = d.toSeconds();
        return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m"
                : d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
    }

    /**
     * A positive whole number times the unit its last letter names (none: 1), such as {@code 512m} bytes or
     * {@code 12h} seconds; -1 for anything else.
     */
    private static long scaled(String text, Map<Character, Long> units) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        Long unit = s.isEmpty() ? null : units.get(s.charAt(s.length() - 1));
        long per = unit == null ? 1 : unit;
        try {
            long n = Long.parseLong(unit == null ? s : s.substring(0, s.length() - 1));
            // Room for milliseconds, so that no duration overflows.
            return n <= 0 || n > Long.MAX_VALUE / per / 1000 ? -1 : n * per;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
