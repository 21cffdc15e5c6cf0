package dev.cadre.bench;

import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Durable job submission throughput and acceptance latency, end to end: clients over TCP (Artemis core JMS and
 * AMQP 1.0), the embedded broker's journal, the scheduler's intake and SQLite. Prints a Markdown table.
 * Each scenario gets a fresh head, so its figures do not depend on the scenarios before it.
 */
public final class SubmissionBenchmark {
    private SubmissionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.println(BenchmarkOptions.USAGE);
            return;
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        JobSpec spec = sbatchLikeSpec();
        int bytes = MessageCodec.encode(new ClientRequest.SubmitJob("bench-jms-4-c0-1-12345", spec)).length();
        System.err.printf("bench: %d scenarios; a submission is about %d bytes of JSON%n",
                options.scenarios().size(), bytes);

        Path root = options.dataRoot() != null ? Files.createDirectories(options.dataRoot())
                : Files.createTempDirectory("cadre-bench-");
        List<ScenarioResult> results = new ArrayList<>();
        try {
            for (Scenario scenario : options.scenarios()) {
                Path dataDir = Files.createTempDirectory(root, scenario.name() + "-");
                int warmup = scenario.closedLoop() ? options.warmupJobs() / 10 : options.warmupJobs();
                System.err.printf("bench: %s: %d jobs, %d client(s), window %d, warm-up %d ...%n", scenario.name(),
                        scenario.jobs(), scenario.clients(), scenario.window(), warmup);
                try (InProcessHead head = InProcessHead.start(dataDir, options.batchSize())) {
                    ScenarioResult r = new ScenarioRunner(head, spec).run(scenario, warmup);
                    System.err.printf("bench: %s: %,.0f jobs/s, p50 %.2f ms, p99 %.2f ms%s%n", scenario.name(),
                            r.jobsPerSecond(), r.latency().p50(), r.latency().p99(),
                            r.verified() ? "" : " -- NOT VERIFIED: " + r.describeFailure());
                    results.add(r);
                } finally {
                    if (!options.keepData()) {
                        LocalCadre.deleteTree(dataDir);
                    }
                }
            }
        } finally {
            if (!options.keepData() && options.dataRoot() == null) {
                LocalCadre.deleteTree(root);
            }
        }
        System.out.print(ScenarioResult.markdownTable(results));
        System.exit(results.stream().allMatch(ScenarioResult::verified) ? 0 : 1);
    }

    /** What 'sbatch -J bench -t 10 --wrap "srun hostname"' sends, with a modest exported environment. */
    static JobSpec sbatchLikeSpec() {
        String user = System.getProperty("user.name");
        return JobSpec.builder()
                .name("bench")
                .user(user)
                .script("#!/bin/sh\n# This script was created by sbatch --wrap.\n\nsrun hostname\n")
                .workDir(System.getProperty("java.io.tmpdir"))
                .stdout("slurm-%j.out")
                .environment(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/home/" + user,
                        "LANG", "C.UTF-8", "SLURM_SUBMIT_DIR", "/tmp"))
                .timeLimitSeconds(600L)
                .nodes(1)
                .tasks(1)
                .cpusPerTask(1)
                .memoryMb(100L)
                .kind(JobSpec.KIND_EXEC)
                .submitHost("bench-host")
                .build();
    }
}
