package dev.cadre.bench;

import java.util.Arrays;
import java.util.List;

/** Acceptance latency percentiles in milliseconds, by nearest rank over every sample. */
record LatencySummary(double p50, double p90, double p99, double max) {

    static LatencySummary of(List<long[]> nanosPerClient) {
        int total = nanosPerClient.stream().mapToInt(a -> a.length).sum();
        long[] all = new long[total];
        int at = 0;
        for (long[] a : nanosPerClient) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        Arrays.sort(all);
        return new LatencySummary(rank(all, 0.50), rank(all, 0.90), rank(all, 0.99), rank(all, 1.0));
    }

    private static double rank(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
