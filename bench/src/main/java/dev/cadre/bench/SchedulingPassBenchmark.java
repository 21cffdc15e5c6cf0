package dev.cadre.bench;

import dev.cadre.protocol.JobSpec;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.PlacementPolicy;
import dev.cadre.scheduler.core.SchedulerSettings;
import dev.cadre.scheduler.core.StartForecast;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scheduling core alone, without SQLite or the broker: a queue of pending jobs of mixed sizes and time
 * limits on simulated nodes ({@link SimulatedCluster}). Measures the first pass (empty cluster); a pass with the
 * cluster full over a plain queue, which the core reads lazily, only as far as the policy goes; the same pass
 * with one job held by its user among the pending ones, which makes the core read and order the whole queue (as
 * any nice value, priority, hold, dependency, begin time, node list or array does); and a sustained run where
 * running jobs end and each pass refills the nodes, reporting pass times and placements per second. Each phase
 * also reports how many jobs run on how many cores, so a cluster that drained or jammed shows. It also times
 * squeue --start's forecast after the full-cluster pass (and again with the held job), after the last sustained
 * pass, and with a tenth of the running jobs ended since: the whole call, and apart the part the head makes under
 * its lock ({@code SchedulerCore.startForecast}; the plan is made after, off the lock); and counts its starts.
 *
 * <p>Usage: SchedulingPassBenchmark [--jobs N] [--nodes N] [--cores N] [--passes N] [--forecasts N] [--policy NAME]
 * [--seed N] [--backfill-depth N] [--backfill-resolution S] [--backfill-window S] [--maintenance N]
 *
 * <p>{@code --maintenance N} takes the first N nodes out for maintenance from an hour after the start for four hours
 * (a MAINT advance reservation), so that every pass also tells which waiting jobs only maintenance keeps waiting.
 */
public final class SchedulingPassBenchmark {

    private static final Set<String> OPTIONS = Set.of("jobs", "nodes", "cores", "passes", "forecasts", "policy",
            "seed", "backfill-depth", "backfill-resolution", "backfill-window", "maintenance");

    public static void main(String[] argv) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < argv.length; i += 2) {
            String name = argv[i].replaceFirst("^--", "");
            if (!OPTIONS.contains(name) || i + 1 == argv.length) {
                throw new IllegalArgumentException(i + 1 == argv.length ? "no value after " + argv[i]
                        : "unknown option " + argv[i] + "; known: --" + String.join(", --", new TreeSet<>(OPTIONS)));
            }
            a.put(name, argv[i + 1]);
        }
        int jobs = (int) number(a, "jobs", 100_000);
        int nodes = (int) number(a, "nodes", 1000);
        int cores = (int) number(a, "cores", 32);
        int passes = (int) number(a, "passes", 200);
        int forecasts = (int) number(a, "forecasts", 20);
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        int maintenance = a.containsKey("maintenance") ? (int) number(a, "maintenance", 0) : 0;
        SchedulerSettings d = SchedulerSettings.defaults(Duration.ofDays(1));
        // The core's own checks judge the resolution and the window; the depth is judged here, as cadre server does.
        SchedulerSettings settings = new SchedulerSettings(
                PlacementPolicy.Kind.byName(a.getOrDefault("policy", "easy-backfill")),
                (int) number(a, "backfill-depth", d.backfillDepth()),
                Duration.ofSeconds(number(a, "backfill-resolution", d.backfillResolution().toSeconds())),
                Duration.ofSeconds(number(a, "backfill-window", d.backfillWindow().toSeconds())), d.nodeTimeout(),
                d.requeueBackoff(), d.requeueBackoffCap(), d.cancelNeverSatisfied());
        // Twice over: the first run warms the JIT, the second is reported.
        run(jobs, nodes, cores, Math.min(passes, 20), Math.min(forecasts, 20), settings, seed, maintenance, false);
        run(jobs, nodes, cores, passes, forecasts, settings, seed, maintenance, true);
    }

    /** A whole number of at least 1 (0 for --forecasts, which then skips the forecast). */
    private static long number(Map<String, String> a, String name, long fallback) {
        String text = a.get(name);
        long least = name.equals("forecasts") ? 0 : 1;
        try {
            long n = text == null ? fallback : Long.parseLong(text);
            if (n < least || n > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " wants a whole number from " + least + " to "
                    + Integer.MAX_VALUE + ", got " + text);
        }
    }

    private static void run(int jobCount, int nodeCount, int cores, int passes, int forecasts,
            SchedulerSettings settings, long seed, int maintenance, boolean report) {
        PlacementPolicy.Kind kind = settings.policy();
        SimulatedCluster cluster = new SimulatedCluster(settings, nodeCount, cores);
        if (maintenance > 0) {
            cluster.maintenance(maintenance, Duration.ofHours(1), Duration.ofHours(4));
        }
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
        // squeue --start changes nothing, so asking here leaves the figures below as they were without it.
        String forecastFirst = forecasts == 0 ? null : forecast(cluster, forecasts);
        // One held job takes the lazy reading away: every pending job is read, ordered and judged. It is
        // cancelled again so that the sustained rounds stay comparable with the figures taken before.
        long held = jobCount + 1L;
        cluster.admit(held, heldJob());
        t0 = System.nanoTime();
        cluster.recordStarts(cluster.schedule());
        long fullHeldNanos = System.nanoTime() - t0;
        // With the held job the queue is no longer plain: the forecast takes every pending job it may list.
        String forecastHeld = forecasts == 0 ? null : forecast(cluster, forecasts);
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
        String afterRounds = cluster.occupancy();
        // squeue --start again, and once a tenth of the running jobs have ended, before the pass that would
        // refill their cores: the plan then has starts now as well as later ones.
        String forecastFull = forecasts == 0 ? null : forecast(cluster, forecasts);
        for (long id : cluster.pickEnding(rnd, Math.max(1, cluster.runningJobs() / 10))) {
            cluster.end(id);
        }
        String forecastPartFull = forecasts == 0 ? null : forecast(cluster, forecasts);
        if (report) {
            long[] sorted = passNanos.clone();
            Arrays.sort(sorted);
            System.out.printf("policy %s (backfill depth %d, resolution %d s, window %d s), %d pending jobs, %d nodes"
                    + " x %d cores%s%n", kind.configName(), settings.backfillDepth(),
                    settings.backfillResolution().toSeconds(), settings.backfillWindow().toSeconds(), jobCount,
                    nodeCount, cores, maintenance == 0 ? "" : ", " + maintenance + " of them reserved for maintenance"
                    + " from 1 h for 4 h");
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
                    afterRounds, leastCores);
            if (forecasts > 0) {
                System.out.println("start forecast (squeue --start): the whole call, and the part under the head's"
                        + " lock (taking the forecast; its plan is made after, off the lock):");
                System.out.printf("  after the full-cluster pass (%,d pending): %s%n", jobCount - firstPlaced,
                        forecastFirst);
                System.out.printf("  the same with one job held (not a plain queue): %s%n", forecastHeld);
                System.out.printf("  after the last sustained pass: %s%n", forecastFull);
                System.out.printf("  with %s: %s%n", cluster.occupancy(), forecastPartFull);
            }
        }
    }

    /**
     * Times calls of the core's start forecast, the whole call and the part the head makes under its lock (taking
     * it, {@code SchedulerCore.startForecast}) apart; each must give the same plan, since asking changes nothing.
     * The thread's CPU time beside the wall time tells the forecast's own cost from other load on the machine.
     */
    private static String forecast(SimulatedCluster cluster, int calls) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] nanos = new long[calls];
        long[] lockNanos = new long[calls];
        long[] cpuNanos = new long[calls];
        List<StartForecast.Start> plan = null;
        for (int i = 0; i < calls; i++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            StartForecast taken = cluster.startForecast();
            lockNanos[i] = System.nanoTime() - t;
            List<StartForecast.Start> again = taken.starts();
            nanos[i] = System.nanoTime() - t;
            cpuNanos[i] = threads.getCurrentThreadCpuTime() - cpu;
            if (plan != null && !plan.equals(again)) {
                throw new IllegalStateException("the start forecast changed between two calls with nothing between");
            }
            plan = again;
        }
        Instant now = cluster.now();
        long startNow = plan.stream().filter(s -> !s.at().isAfter(now)).count();
        Duration latest = plan.stream().map(s -> Duration.between(now, s.at())).max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        LatencySummary ms = LatencySummary.of(List.of(nanos));
        LatencySummary lock = LatencySummary.of(List.of(lockNanos));
        return String.format("%d calls, p50 %.1f ms, p90 %.1f ms, max %.1f ms (thread CPU p50 %.1f ms); under the"
                + " lock p50 %.2f ms, p90 %.2f ms, max %.2f ms; %,d starts planned (%,d now, the latest in %.1f h)",
                calls, ms.p50(), ms.p90(), ms.max(), LatencySummary.of(List.of(cpuNanos)).p50(), lock.p50(),
                lock.p90(), lock.max(), plan.size(), startNow, latest.toMinutes() / 60.0);
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
