package dev.cadre.protocol;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The fair-share factor of Slurm's priority/multifactor, in its classic form, for Cadre's flat tree: one account,
 * root, with every user who has run or queued a job under it and one share each. Slurm gives a user directly under
 * the root association an effective usage equal to its normalised usage (its part of everyone's usage), and the
 * factor F = 2^(-EffectvUsage / NormShares): 1.0 for a user who has used nothing, 0.5 for one who has used exactly
 * its share, less the further beyond it. Fair Tree would rank users instead and give each a factor from its rank
 * alone, which for a flat tree orders them the same but makes a trifling difference in usage as large a step as a
 * tenfold one, and moves every user's factor as users come and go; the classic factor says how far over its share
 * each user is. Here, beside {@link JobPriority}, because the scheduler orders by it and sprio and sshare print it.
 *
 * @param weight PriorityWeightFairshare: the points a factor of 1.0 is worth
 * @param usage each user's decayed usage in CPU-seconds (sshare's RawUsage)
 */
public record FairShare(long weight, Map<String, Double> usage, Map<String, Long> points) {
    /** No fair-share factor counts: today's order. */
    public static final FairShare NONE = new FairShare(0, Map.of());

    public FairShare {
        if (weight < 0) {
            throw new IllegalArgumentException("a fair-share weight is 0 or more, not " + weight);
        }
        usage = Map.copyOf(usage);
        points = Map.copyOf(points);
    }

    /** The factors of these usages at this weight, each user's points worked out once. */
    public FairShare(long weight, Map<String, Double> usage) {
        this(weight, usage, pointsOf(weight, usage));
    }

    private static Map<String, Long> pointsOf(long weight, Map<String, Double> usage) {
        Map<String, Long> out = new HashMap<>();
        if (weight > 0) {
            double total = total(usage);
            usage.forEach((user, u) -> out.put(user, Math.round(weight * factor(u, total, usage.size()))));
        }
        return out;
    }

    /** The fair-share points of a job of this user; a user not counted yet has used nothing, and gets them all. */
    public long points(String user) {
        Long p = points.get(user);
        return p != null ? p : weight;
    }

    /** Whether every user gets the same points, so that fair share changes no order. */
    public boolean uniform() {
        return weight == 0 || totalUsage() == 0;
    }

    /** How many users share the cluster. */
    public int users() {
        return usage.size();
    }

    /** Everyone's usage: the root association's RawUsage. */
    public double totalUsage() {
        return total(usage);
    }

    /** Each user's share of the cluster, all equal (sshare's NormShares). */
    public double normShares() {
        return usage.isEmpty() ? 0 : 1.0 / usage.size();
    }

    /** The user's part of everyone's usage, at most 1 (NormUsage; for a user under root also EffectvUsage). */
    public double normUsage(String user) {
        return norm(usage.getOrDefault(user, 0.0), totalUsage());
    }

    /** The user's factor, from 0 to 1. */
    public double factor(String user) {
        return factor(usage.getOrDefault(user, 0.0), totalUsage(), Math.max(1, usage.size()));
    }

    /** priority_p_calc_fs_factor: 2^(-EffectvUsage / NormShares), with n equal shares NormShares is 1/n. */
    static double factor(double usage, double total, int users) {
        return Math.pow(2.0, -norm(usage, total) * users);
    }

    /** A usage decayed over this time: halved every half-life (Slurm's PriorityDecayHalfLife); never for zero. */
    public static double decayed(double usage, Duration elapsed, Duration halfLife) {
        if (elapsed.isNegative() || elapsed.isZero() || halfLife.isZero()) {
            return usage;
        }
        return usage * Math.pow(2.0, -(double) elapsed.toMillis() / halfLife.toMillis());
    }

    private static double norm(double usage, double total) {
        return total <= 0 ? 0 : Math.min(1.0, usage / total);
    }

    private static double total(Map<String, Double> usage) {
        double sum = 0;
        for (double u : usage.values()) {
            sum += u;
        }
        return sum;
    }
}
