package dev.cadre.node.core;

import java.time.Duration;
import java.util.List;

/**
 * When a job's statm sum over its limit must be measured again by PSS ({@code smaps_rollup}), for one attempt on one
 * node. A job whose processes share pages (a forked pool, MPI ranks mapping one shared-memory segment) can stay over
 * the limit by statm for its whole life while PSS clears it: walking every process's page tables each interval
 * would cost the milliseconds that statm was chosen to save, and hold each process's mmap lock. So once PSS cleared a
 * reading, statm alone is trusted for at most {@link #MOST_TRUSTED} (and {@link #EVERY_INTERVALS} readings), while
 * the processes stay the same and statm grows by less than a margin and than the room PSS left under the limit.
 * PSS grows without statm, which is why the trust is short: a forked child writing its inherited pages makes them
 * its own (copy-on-write), and sharers that end leave their pages to the survivors. Not thread-safe: one watcher's
 * thread owns it.
 */
public final class ProportionalRecheck {
    /** Readings trusted on statm alone at most, before PSS is walked again whatever statm says. */
    public static final int EVERY_INTERVALS = 10;
    /** How long a clearing stands at most: a job over its limit by PSS goes on this much longer than a check's gap. */
    public static final Duration MOST_TRUSTED = Duration.ofSeconds(3);
    /** Growth of statm, past the reading PSS last cleared, that calls for PSS again: the larger of this and 1/10. */
    public static final long MARGIN_BYTES = 64L << 20;

    private final int mostTrusted;
    /** The statm sum PSS last cleared; -1 when none did, or statm fell within the limit since. */
    private long clearedAt = -1;
    /** What PSS left under the limit at that clearing. */
    private long room;
    /** Which processes were measured then (order-free). */
    private long processes;
    private int trusted;

    /** @param interval how often the readings come */
    public ProportionalRecheck(Duration interval) {
        long readings = MOST_TRUSTED.toMillis() / Math.max(1, interval.toMillis()) - 1;
        this.mostTrusted = (int) Math.max(0, Math.min(EVERY_INTERVALS - 1, readings));
    }

    /** An order-free key of the processes measured. */
    public static long processesKey(List<Long> pids) {
        long key = 0;
        for (long pid : pids) {
            key += (pid + 1) * 0x9E3779B97F4A7C15L;
        }
        return key;
    }

    /** Whether this reading of these processes, which statm puts over the limit, must be measured by PSS. */
    public boolean due(long statmBytes, long processesKey) {
        long growth = statmBytes - clearedAt;
        if (clearedAt < 0 || processesKey != processes || growth > Math.min(room, Math.max(MARGIN_BYTES,
                clearedAt / 10)) || trusted >= mostTrusted) {
            return true;
        }
        trusted++;
        return false;
    }

    /** PSS measured this reading of these processes within the limit, {@code roomBytes} under it. */
    public void cleared(long statmBytes, long processesKey, long roomBytes) {
        clearedAt = statmBytes;
        processes = processesKey;
        room = roomBytes;
        trusted = 0;
    }

    /** statm put the job within the limit, or PSS over it: the next reading over the limit is measured afresh. */
    public void forget() {
        clearedAt = -1;
        trusted = 0;
    }
}
