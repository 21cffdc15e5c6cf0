package dev.cadre.bench;

import dev.cadre.protocol.JobSpec;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.PlacementPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The scheduling core alone, without SQLite or the broker: a queue of pending jobs of mixed sizes and time
 * limits on simulated nodes ({@link SimulatedCluster}). Measures the first pass (empty cluster); a pass with the
 * cluster full over a plain queue, which the core reads lazily, only as far as the policy goes; the same pass
 * with one job held by its user among the pending ones, which makes the core read and order the whole queue (as
 * any nice value, priority, hold, dependency, begin time, node list or array does); and a sustained run where
 * running jobs end and each pass refills the nodes, reporting pass times and placements per second. Each phase
 * also reports how many jobs run on how many cores, so a cluster that drained or jammed shows.
 *
 * <p>Usage: SchedulingPassBenchmark [--jobs N] [--nodes N] [--cores N] [--passes N] [--policy NAME] [--seed N]
 */
public final class SchedulingPassBenchmark {

    public static void main(String[] argv) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        int jobs = Integer.parseInt(a.getOrDefault("jobs", "100000"));
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "1000"));
        int cores = Integer.parseInt(a.getOrDefault("cores", "32"));
        int passes = Integer.parseInt(a.getOrDefault("passes", "200"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        PlacementPolicy.Kind kind = PlacementPolicy.Kind.byName(a.getOrDefault("policy", "easy-backfill"));
        // Twice over: the first run warms the JIT, the second is reported.
        run(jobs, nodes, cores, Math.min(passes, 20), kind, seed, false);
        run(jobs, nodes, cores, passes, kind, seed, true);
    }

    private static void run(int jobCount, int nodeCount, int cores, int passes, PlacementPolicy.Kind kind, long seed,
            boolean report) {
        SimulatedCluster cluster = new SimulatedCluster(kind, nodeCount, cores);
        Random rnd = new Random(seed);
        for (long id = 1; id <= jobCount; id++) {
            cluster.admit(id, spec(rnd, cores));
        }
        long t0 = System.nanoTime();
        Decisions first = cluster.schedule();
        long firstNanos = System.nanoTime() - t0;
        int firstPlaced = cluster.recordStarts(first);
        String afterFirst = cluster.occupancy();
        // Nothing fits now. With a plain queue the pass reads only up to the first job that does not fit and
        // the backfill depth behind it.
        t0 = System.nanoTime();
        cluster.recordStarts(cluster.schedule());
        long fullNanos = System.nanoTime() - t0;
        String afterFull = cluster.occupancy();
        // One held job takes the lazy reading away: every pending job is read, ordered and judged. It is
        // cancelled again so that the sustained rounds stay comparable with the figures taken before.
        long held = jobCount + 1L;
        cluster.admit(held, heldJob());
        t0 = System.nanoTime();
        cluster.recordStarts(cluster.schedule());
        long fullHeldNanos = System.nanoTime() - t0;
        cluster.cancelPending(held);

        long[] passNanos = new long[passes];
        long placed = 0;
        long busyNanos = 0;
        long leastCores = Long.MAX_VALUE;
        for (int p = 0; p < passes; p++) {
            cluster.advance(Duration.ofSeconds(5));
            // A tenth of the running jobs end before each pass.
            List<Long> ending = cluster.pickEnding(rnd, Math.max(1, cluster.runningJobs() / 10));
            long t = System.nanoTime();
            for (long id : ending) {
                cluster.end(id);
            }
            long passStart = System.nanoTime();
            Decisions d = cluster.schedule();
            passNanos[p] = System.nanoTime() - passStart;
            busyNanos += System.nanoTime() - t;
            placed += cluster.recordStarts(d);
            leastCores = Math.min(leastCores, cluster.coresInUse());
        }
        if (report) {
            long[] sorted = passNanos.clone();
            Arrays.sort(sorted);
            System.out.printf("policy %s, %d pending jobs, %d nodes x %d cores%n", kind.configName(), jobCount,
                    nodeCount, cores);
            System.out.printf("first pass (empty cluster): %.1f ms, %d jobs started; then %s%n", firstNanos / 1e6,
                    firstPlaced, afterFirst);
            System.out.printf("pass with the cluster full, plain queue (%d pending, read lazily): %.1f ms; then %s%n",
                    jobCount - firstPlaced, fullNanos / 1e6, afterFull);
            System.out.printf("pass with the cluster full, one of %d pending held by its user (whole queue read):"
                    + " %.1f ms%n", jobCount - firstPlaced + 1, fullHeldNanos / 1e6);
            System.out.printf("sustained, %d passes: pass p50 %.1f ms, p90 %.1f ms, max %.1f ms; %d jobs started,"
                    + " %.0f placements/s (ends and passes together)%n", passes, sorted[passes / 2] / 1e6,
                    sorted[(int) (passes * 0.9)] / 1e6, sorted[passes - 1] / 1e6, placed, placed / (busyNanos / 1e9));
            System.out.printf("after the sustained passes: %s; fewest cores in use after a pass: %,d%n",
                    cluster.occupancy(), leastCores);
        }
    }

    /** Mixed sizes (1 to 64 cores, one or several nodes) and time limits (1 minute to a day). */
    private static JobSpec spec(Random rnd, int cores) {
        JobSpec.Builder b = benchJob().timeLimitSeconds(60L * (1 + rnd.nextInt(1440)));
        int kind = rnd.nextInt(10);
        if (kind < 6) {
            b.tasks(1).cpusPerTask(1 + rnd.nextInt(4));
        } else if (kind < 9) {
            b.tasks(1 + rnd.nextInt(cores)).cpusPerTask(1);
        } else {
            b.nodes(2).tasks(2 * (1 + rnd.nextInt(cores))).cpusPerTask(1);
        }
        return b.build();
    }

    /** What sbatch -H sends: a small job held by its user. */
    private static JobSpec heldJob() {
        return benchJob().timeLimitSeconds(60L).tasks(1).cpusPerTask(1).hold("user").build();
    }

    private static JobSpec.Builder benchJob() {
        return JobSpec.builder().name("bench").user("bench").script("#!/bin/sh\ntrue\n").workDir("/tmp");
    }
}
