package dev.cadre.node.core;

import java.time.Duration;
import java.util.Map;

/**
 * When a job's statm sum over its limit must be measured again by PSS ({@code smaps_rollup}), for one attempt on one
 * node. A job whose processes share pages (a forked pool, MPI ranks mapping one shared-memory segment) can stay over
 * the limit by statm for its whole life while PSS clears it: walking every process's page tables each interval
 * would cost the milliseconds that statm was chosen to save, and hold each process's mmap lock. So once PSS cleared a
 * reading, statm alone is trusted for at most {@link #MOST_TRUSTED} (and {@link #EVERY_INTERVALS} readings), while
 * statm grows, counting what the processes measured then and gone since held, by less than a margin and than the
 * room PSS left under the limit. PSS grows without statm, which is why the trust is short: a forked child writing
 * its inherited pages makes them its own (copy-on-write), and sharers that end leave their pages to the survivors.
 * Not thread-safe: one watcher's thread owns it.
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
    /** The statm figure of each process measured then, by pid. */
    private Map<Long, Long> measured = Map.of();
    private int trusted;

    /** @param interval how often the readings come */
    public ProportionalRecheck(Duration interval) {
        long readings = MOST_TRUSTED.toMillis() / Math.max(1, interval.toMillis()) - 1;
        this.mostTrusted = (int) Math.max(0, Math.min(EVERY_INTERVALS - 1, readings));
    }

    /**
     * Whether this reading, which statm puts over the limit, must be measured by PSS.
     *
     * <p>Processes that started since the clearing do not end it: a job that keeps starting short-lived tools (make,
     * a shell loop, a pool with maxtasksperchild) would otherwise be walked at every check. Trusting statm's growth is
     * sound while PSS grows by no more than statm: a page mapped by j of the job's processes, and by m processes in
     * all, counts j pages in statm and j/m in PSS, so one more mapper adds a page to statm and (m - j)/(m (m + 1)) of
     * one to PSS, and a new private page adds one to each. New processes thus grow PSS by at most what they grow
     * statm, and those that came and went since the clearing leave both as they were. An exit breaks the bound: for
     * each page statm loses a whole page, PSS only the exiting process's share (the survivors take on the rest), so
     * PSS can outgrow statm by at most what the gone processes held by statm at the clearing, which is therefore
     * counted as growth. A large sharer gone calls for PSS at once; the short-lived tool measured at the clearing
     * and gone by the next reading costs only its own few pages. Changes within the same processes (copy-on-write,
     * an exec, an unmapping, sharers outside the job ending) are left to {@link #MOST_TRUSTED}.
     *
     * @param residentByPid the statm figure of each process read now, by pid
     */
    public boolean due(long statmBytes, Map<Long, Long> residentByPid) {
        if (clearedAt < 0 || trusted >= mostTrusted) {
            return true;
        }
        long growth = statmBytes - clearedAt;
        for (Map.Entry<Long, Long> m : measured.entrySet()) {
            if (!residentByPid.containsKey(m.getKey())) {
                growth = growth > Long.MAX_VALUE - m.getValue() ? Long.MAX_VALUE : growth + m.getValue();
            }
        }
        if (growth > Math.min(room, Math.max(MARGIN_BYTES, clearedAt / 10))) {
            return true;
        }
        trusted++;
        return false;
    }

    /**
     * PSS measured this reading within the limit, {@code roomBytes} under it.
     *
     * @param residentByPid the statm figure of each process measured, by pid
     */
    public void cleared(long statmBytes, Map<Long, Long> residentByPid, long roomBytes) {
        clearedAt = statmBytes;
        measured = Map.copyOf(residentByPid);
        room = roomBytes;
        trusted = 0;
    }

    /** statm put the job within the limit, or PSS over it: the next reading over the limit is measured afresh. */
    public void forget() {
        clearedAt = -1;
        measured = Map.of();
        trusted = 0;
    }
}
