package dev.cadre.bench;

import dev.cadre.client.CadreClient;
import dev.cadre.client.EventFilter;
import dev.cadre.client.JobResult;
import dev.cadre.client.Submission;
import dev.cadre.client.Watch;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * End-to-end throughput and latency of trivial jobs on one machine: starts 'cadre up' (broker, scheduler, web and
 * a local node-runner in one process, as a user would) and submits jobs that run {@code true}, each through the
 * whole path: acceptance into SQLite, a scheduling pass, placement over the broker, a real process on the node,
 * its end reported back and recorded.
 *
 * <p>Two measures. Throughput: every job submitted at once through {@link CadreClient#submitAll}, timed from the
 * first submission to the last job's result, as a user of the client library waits for them (the client hears
 * only the jobs' endings). Latency: one job at a time on the otherwise idle system, from just before the submit
 * call to the RUNNING event reaching a watch of this client, so it includes the event's own trip; a job whose
 * RUNNING event does not come fails the run, since leaving it out would flatter the percentiles.
 */
public final class ThroughputBenchmark {
    private final ThroughputOptions options;
    private final Map<Long, JobResult> ended = new ConcurrentHashMap<>();
    private final Map<Long, Long> endedAt = new ConcurrentHashMap<>();

    private ThroughputBenchmark(ThroughputOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        ThroughputOptions options;
        try {
            options = ThroughputOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("throughput bench: " + e.getMessage() + "\n" + ThroughputOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new ThroughputBenchmark(options).run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        Path base = Files.createTempDirectory("cadre-throughput");
        try (LocalCadre cadre = LocalCadre.start(options.cadre(), base, options.upArguments());
             CadreClient client = CadreClient.connect(cadre.clientFile())) {
            System.err.printf("throughput bench: cadre up %s (head pid %d), work dir %s%n",
                    String.join(" ", options.upArguments()), cadre.pid(), cadre.workDir());
            JobSpec spec = trueJob(cadre.workDir());
            measureThroughput(client, spec, options.warmupJobs(), "warm-up");
            double[] cpuBefore = cadre.cpuSeconds();
            Result loaded = measureThroughput(client, spec, options.jobs(), "measured");
            double[] cpuAfter = cadre.cpuSeconds();
            System.err.printf("throughput bench: CPU per job: cadre up %.2f ms, the jobs' processes %.2f ms%n",
                    (cpuAfter[0] - cpuBefore[0]) * 1000 / options.jobs(),
                    (cpuAfter[1] - cpuBefore[1]) * 1000 / options.jobs());
            IdleLatency idle;
            RunningSightings sightings = new RunningSightings(System::nanoTime);
            try (Watch watch = client.watch(EventFilter.user(client.user()), sightings::onEvent)) {
                idle = measureIdleLatency(client, spec, options.idleJobs(), sightings);
            }
            if (!idle.verified()) {
                System.err.printf("throughput bench: idle latency failed after %d of %d jobs: %s%n",
                        idle.nanos().size(), idle.requested(), idle.problem());
            }
            double arrayMillis = measureArrayAcceptance(client, spec);
            print(loaded, idle);
            System.out.printf("%nA 100,000-task array (held, then cancelled) was accepted in %.1f ms.%n", arrayMillis);
            return loaded.verified() && idle.verified();
        } finally {
            if (!options.keepData()) {
                LocalCadre.deleteTree(base);
            }
        }
    }

    record Result(int jobs, double seconds, double jobsPerSecond, int completed, String problem) {
        boolean verified() {
            return problem == null;
        }
    }

    private Result measureThroughput(CadreClient client, JobSpec spec, int n, String label) throws Exception {
        if (n == 0) {
            return null;
        }
        List<JobSpec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            specs.add(spec);
        }
        long start = System.nanoTime();
        List<Submission> submissions = client.submitAll(specs);
        for (Submission s : submissions) {
            s.result().thenAccept(this::ended);
        }
        List<Long> ids = new ArrayList<>(n);
        for (Submission s : submissions) {
            ids.add(s.accepted().get(options.deadline().toMillis(), TimeUnit.MILLISECONDS));
        }
        double acceptedSeconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("throughput bench: %s: %d accepted in %.2f s%n", label, n, acceptedSeconds);
        long deadline = start + options.deadline().toNanos();
        int done = 0;
        while (System.nanoTime() < deadline) {
            done = (int) ids.stream().filter(ended::containsKey).count();
            if (done == n) {
                break;
            }
            Thread.sleep(20); // polling a map this process fills; the deadline bounds it
        }
        long last = ids.stream().mapToLong(id -> endedAt.getOrDefault(id, System.nanoTime())).max().orElse(start);
        double seconds = (last - start) / 1e9;
        int completed = (int) ids.stream().map(ended::get)
                .filter(r -> r != null && r.state() == JobState.COMPLETED && Integer.valueOf(0).equals(r.exitCode()))
                .count();
        String problem = done < n ? (n - done) + " of " + n + " jobs had not ended after " + options.deadline()
                : completed < n ? (n - completed) + " of " + n + " jobs did not complete with exit code 0" : null;
        System.err.printf("throughput bench: %s: %d ended in %.2f s (%.0f jobs/s)%s%n", label, done, seconds,
                n / seconds, problem == null ? "" : "; " + problem);
        return new Result(n, seconds, n / seconds, completed, problem);
    }

    /**
     * One job at a time, each waited for to its end, so nothing else is queued when the next is submitted. A job
     * whose RUNNING event does not come, or that does not complete, stops the run as failed: left out, it would be
     * the slowest sample missing from the percentiles.
     */
    private static IdleLatency measureIdleLatency(CadreClient client, JobSpec spec, int n, RunningSightings sightings)
            throws Exception {
        Duration perJob = Duration.ofSeconds(30);
        List<Long> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long before = System.nanoTime();
            Submission s = client.submit(spec);
            long id = s.accepted().get(perJob.toMillis(), TimeUnit.MILLISECONDS);
            RunningSightings.Sighting sighting = sightings.await(id, perJob);
            if (sighting instanceof RunningSightings.Sighting.Missing m) {
                return new IdleLatency(samples, n, "job " + id + ": " + m.why());
            }
            samples.add(((RunningSightings.Sighting.Seen) sighting).atNanos() - before);
            JobResult r;
            try {
                r = s.result().get(perJob.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return new IdleLatency(samples, n, "job " + id + " had not ended " + perJob.toSeconds()
                        + " s after it ran");
            }
            if (r.state() != JobState.COMPLETED || !Integer.valueOf(0).equals(r.exitCode())) {
                return new IdleLatency(samples, n, "job " + id + " ended " + r.state() + " with exit code "
                        + r.exitCode());
            }
        }
        return new IdleLatency(samples, n, null);
    }

    /** Submit to acceptance of --array=0-99999, held so that its tasks do not run; cancelled afterwards. */
    private static double measureArrayAcceptance(CadreClient client, JobSpec spec) throws Exception {
        JobSpec array = spec.toBuilder().array("0-99999").hold("user").build();
        long before = System.nanoTime();
        long id = client.submit(array).accepted().get(30, TimeUnit.SECONDS);
        double millis = (System.nanoTime() - before) / 1e6;
        client.cancel(id).get(30, TimeUnit.SECONDS);
        return millis;
    }

    private void ended(JobResult r) {
        endedAt.putIfAbsent(r.jobId(), System.nanoTime());
        ended.putIfAbsent(r.jobId(), r);
    }

    /** What 'sbatch --wrap true' sends: a one-core job whose script runs true, its output in the work dir. */
    private static JobSpec trueJob(Path workDir) {
        return JobSpec.builder()
                .name("wrap")
                .user(System.getProperty("user.name"))
                .script("#!/bin/sh\n# This script was created by sbatch --wrap.\n\ntrue\n")
                .workDir(workDir.toString())
                .stdout("slurm-%j.out")
                .environment(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8"))
                .timeLimitSeconds(600L)
                .nodes(1)
                .tasks(1)
                .cpusPerTask(1)
                .kind(JobSpec.KIND_EXEC)
                .build();
    }

    private void print(Result r, IdleLatency idle) {
        System.out.printf("| jobs | cadre up options | wall s | jobs/s | %s | completed |%n", idle.header());
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf("| %d | `%s` | %.2f | %.0f | %s | %d%s |%n", r.jobs(),
                String.join(" ", options.upArguments()), r.seconds(), r.jobsPerSecond(), idle.cell(), r.completed(),
                r.verified() ? "" : " (" + r.problem() + ")");
    }
}
