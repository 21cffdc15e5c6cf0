package dev.cadre.scheduler.core;

import dev.cadre.protocol.FairShare;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Charges users' usage as Slurm's decay thread does every PriorityCalcPeriod: what was stored decays over the time
 * since it was charged, then the CPU-seconds held since are added. Each period adds only its own window, so keeping
 * usage costs the same however long the history. A user who queued a job joins with nothing used, and so takes a
 * share from then on.
 */
public final class FairShareAccrual {
    private FairShareAccrual() {
    }

    /**
     * The usage at {@code now}.
     *
     * @param stored each user's usage as charged up to {@code chargedUntil}
     * @param charges the CPU-seconds each user's attempts held from {@code chargedUntil} to {@code now}
     * @param queued the users of the jobs not ended
     */
    public static Map<String, Double> charge(Map<String, Double> stored, Instant chargedUntil, Instant now,
            Duration halfLife, Map<String, Double> charges, Collection<String> queued) {
        Duration elapsed = chargedUntil.isBefore(now) ? Duration.between(chargedUntil, now) : Duration.ZERO;
        Map<String, Double> out = new HashMap<>();
        stored.forEach((user, usage) -> out.put(user, FairShare.decayed(usage, elapsed, halfLife)));
        charges.forEach((user, cpuSeconds) -> out.merge(user, cpuSeconds, Double::sum));
        for (String user : queued) {
            out.putIfAbsent(user, 0.0);
        }
        return out;
    }
}
