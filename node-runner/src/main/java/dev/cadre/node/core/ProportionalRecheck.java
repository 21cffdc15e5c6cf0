package dev.cadre.node.core;

/**
 * When a job's statm sum over its limit must be measured again by PSS ({@code smaps_rollup}), for one attempt on one
 * node. A job whose processes share pages (a forked pool, MPI ranks mapping one shared-memory segment) can stay over
 * the limit by statm for its whole life while PSS clears it: walking every process's page tables each interval
 * would cost the milliseconds that statm was chosen to save, and hold each process's mmap lock. So once PSS cleared a
 * reading, statm alone is trusted until it grows by a margin, or {@link #EVERY_INTERVALS} intervals pass (PSS also
 * grows without statm when sharers end and their pages become their survivors' alone). Not thread-safe: one
 * watcher's thread owns it.
 */
public final class ProportionalRecheck {
    /** Readings trusted on statm alone at most, before PSS is walked again whatever statm says. */
    public static final int EVERY_INTERVALS = 10;
    /** Growth of statm, past the reading PSS last cleared, that calls for PSS again: the larger of this and 1/10. */
    public static final long MARGIN_BYTES = 64L << 20;

    /** The statm sum PSS last cleared; -1 when none did, or statm fell within the limit since. */
    private long clearedAt = -1;
    private int trusted;

    /** Whether this reading, which statm puts over the limit, must be measured by PSS. */
    public boolean due(long statmBytes) {
        if (clearedAt < 0 || statmBytes - clearedAt > Math.max(MARGIN_BYTES, clearedAt / 10)
                || trusted >= EVERY_INTERVALS - 1) {
            return true;
        }
        trusted++;
        return false;
    }

    /** PSS measured this reading within the limit. */
    public void cleared(long statmBytes) {
        clearedAt = statmBytes;
        trusted = 0;
    }

    /** statm put the job within the limit, or PSS over it: the next reading over the limit is measured afresh. */
    public void forget() {
        clearedAt = -1;
        trusted = 0;
    }
}
