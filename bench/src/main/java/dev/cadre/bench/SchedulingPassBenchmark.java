package dev.cadre.bench;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.JobHistory;
import dev.cadre.scheduler.core.PlacementPolicy;
import dev.cadre.scheduler.core.SchedulerCore;
import dev.cadre.scheduler.core.SchedulerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The scheduling core alone, without SQLite or the broker: a queue of pending jobs of mixed sizes and time
 * limits on simulated nodes. Measures the first pass (empty cluster), a pass with the cluster full (nothing
 * fits: the cost of judging the whole queue), and a sustained run where running jobs end and each pass refills
 * the nodes, reporting pass times and placements per second.
 *
 * <p>Usage: SchedulingPassBenchmark [--jobs N] [--nodes N] [--cores N] [--passes N] [--policy NAME] [--seed N]
 */
public final class SchedulingPassBenchmark {
    private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    /** A clock the benchmark moves: simulated time, so the figures measure the core, not waiting. */
    private static final class SimClock extends Clock {
        private Instant now = START;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

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
        SimClock clock = new SimClock();
        SchedulerCore core = new SchedulerCore(clock, SchedulerSettings.defaults(Duration.ofDays(1))
                .withPolicy(kind), (id, attempt) -> "t", JobHistory.NONE);
        for (int n = 0; n < nodeCount; n++) {
            core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("node" + n, "node" + n, List.of(), cores, 256_000, 0,
                    List.of(), clock.instant()));
        }
        Random rnd = new Random(seed);
        for (long id = 1; id <= jobCount; id++) {
            core.admitted(new JobRecord(id, "k" + id, spec(rnd, cores), JobState.PENDING, "None", 0, null, false,
                    null, null, START, null, null));
        }
        List<Long> running = new ArrayList<>();
        long t0 = System.nanoTime();
        Decisions first = core.schedule();
        long firstNanos = System.nanoTime() - t0;
        int firstPlaced = started(first, running);
        // Nothing fits now: the whole queue is judged for nothing.
        t0 = System.nanoTime();
        core.schedule();
        long fullNanos = System.nanoTime() - t0;

        long[] passNanos = new long[passes];
        long placed = 0;
        long busyNanos = 0;
        for (int p = 0; p < passes; p++) {
            clock.now = clock.now.plusSeconds(5);
            // A tenth of the running jobs end before each pass.
            Collections.shuffle(running, rnd);
            int ending = Math.max(1, running.size() / 10);
            long t = System.nanoTime();
            for (int i = 0; i < ending && !running.isEmpty(); i++) {
                long id = running.remove(running.size() - 1);
                JobRecord j = core.job(id).orElseThrow();
                core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, j.attempt(), j.allocation().coordinator()
                        .nodeId(), 0, 0, null, clock.instant(), null));
            }
            long passStart = System.nanoTime();
            Decisions d = core.schedule();
            passNanos[p] = System.nanoTime() - passStart;
            busyNanos += System.nanoTime() - t;
            placed += started(d, running);
        }
        if (report) {
            long[] sorted = passNanos.clone();
            java.util.Arrays.sort(sorted);
            System.out.printf("policy %s, %d pending jobs, %d nodes x %d cores%n", kind.configName(), jobCount,
                    nodeCount, cores);
            System.out.printf("first pass (empty cluster): %.1f ms, %d jobs started%n", firstNanos / 1e6,
                    firstPlaced);
            System.out.printf("pass with the cluster full (%d pending): %.1f ms%n", jobCount - firstPlaced,
                    fullNanos / 1e6);
            System.out.printf("sustained, %d passes: pass p50 %.1f ms, p90 %.1f ms, max %.1f ms; %d jobs started,"
                    + " %.0f placements/s (ends and passes together)%n", passes, sorted[passes / 2] / 1e6,
                    sorted[(int) (passes * 0.9)] / 1e6, sorted[passes - 1] / 1e6, placed, placed / (busyNanos / 1e9));
        }
    }

    private static int started(Decisions d, List<Long> running) {
        int n = 0;
        for (JobChange c : d.changes()) {
            if (c.movesState() && c.job().state() == JobState.RUNNING) {
                running.add(c.job().id());
                n++;
            }
        }
        return n;
    }

    /** Mixed sizes (1 to 64 cores, one or several nodes) and time limits (1 minute to a day). */
    private static JobSpec spec(Random rnd, int cores) {
        JobSpec.Builder b = JobSpec.builder().name("bench").user("bench").script("#!/bin/sh\ntrue\n")
                .workDir("/tmp").timeLimitSeconds(60L * (1 + rnd.nextInt(1440)));
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
}
