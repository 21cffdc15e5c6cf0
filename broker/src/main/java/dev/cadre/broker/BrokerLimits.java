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
 */
public record BrokerLimits(long globalMaxBytes, int clientDiskPercent) {
    /** Overrides the memory default, e.g. {@code 512m} or {@code 2g}. */
    public static final String MEMORY_ENV = "CADRE_BROKER_MEMORY";
    /** Overrides {@link #DEFAULT_CLIENT_DISK_PERCENT}. */
    public static final String CLIENT_DISK_ENV = "CADRE_BROKER_CLIENT_DISK_PERCENT";
    /** Artemis blocks every producer, heartbeats too, once its disk is fuller than this. */
    public static final int BROKER_DISK_PERCENT = 98;
    public static final int DEFAULT_CLIENT_DISK_PERCENT = 95;
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
    /** A reply nobody read in this time is dropped. */
    public static final Duration REPLY_EXPIRY = Duration.ofHours(1);
    /** A dead letter is dropped after this time. */
    public static final Duration DEAD_LETTER_EXPIRY = Duration.ofDays(7);

    public BrokerLimits {
        if (globalMaxBytes < (1L << 20)) {
            throw new IllegalArgumentException("the broker's memory limit must be at least 1m, not " + globalMaxBytes
                    + " bytes");
        }
        if (clientDiskPercent < 1 || clientDiskPercent > BROKER_DISK_PERCENT) {
            throw new IllegalArgumentException("the disk usage at which submissions stop must be from 1 to "
                    + BROKER_DISK_PERCENT + " percent, not " + clientDiskPercent);
        }
    }

    /** A quarter of the heap (Artemis' own default is half, which it would share with the scheduler and web). */
    public static BrokerLimits defaults() {
        return new BrokerLimits(Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4), DEFAULT_CLIENT_DISK_PERCENT);
    }

    /** The defaults, with what {@link #MEMORY_ENV} and {@link #CLIENT_DISK_ENV} set instead. */
    public static BrokerLimits fromEnvironment(Map<String, String> env) {
        BrokerLimits d = defaults();
        String memory = env.get(MEMORY_ENV);
        String disk = env.get(CLIENT_DISK_ENV);
        long bytes = memory == null || memory.isBlank() ? d.globalMaxBytes() : parseSize(MEMORY_ENV, memory);
        int percent = d.clientDiskPercent();
        if (disk != null && !disk.isBlank()) {
            try {
                percent = Integer.parseInt(disk.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(CLIENT_DISK_ENV + " must be a whole percentage, not '" + disk + "'");
            }
        }
        return new BrokerLimits(bytes, percent);
    }

    /** Bytes from a size such as {@code 268435456}, {@code 512k}, {@code 256m} or {@code 2g}. */
    static long parseSize(String name, String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        int shift = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a size such as 512m or 2g, not '" + text + "'");
        }
    }
}
