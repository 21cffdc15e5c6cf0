package dev.cadre.bench;

import java.nio.file.Path;
import java.util.List;

/** The command line of {@link SubmissionBenchmark}. */
record BenchmarkOptions(List<Scenario> scenarios, int warmupJobs, int batchSize, Path dataRoot, boolean keepData) {
    static final String DEFAULT_SCENARIOS = "jms-1,jms-4,amqp-1,amqp-4,jms-1x100,jms-4x100,amqp-1x100,amqp-4x100,"
            + "jms-idle,amqp-idle";

    static final String USAGE = String.join("\n",
            "usage: run-submission-bench.sh [options]",
            "  --scenarios LIST   comma-separated, default " + DEFAULT_SCENARIOS,
            "                     PROTOCOL-N: N concurrent clients (jms = Artemis core, amqp = Qpid JMS over AMQP 1.0)",
            "                     PROTOCOL-NxM: the same with M jobs per submit-jobs message (2 to 1000)",
            "                     PROTOCOL-idle: one client, one submission at a time",
            "  --jobs N           submissions per loaded scenario, split over its clients (default 50000)",
            "  --window N         unanswered submissions allowed per client (default 1000)",
            "  --idle-jobs N      submissions in an idle scenario (default 2000)",
            "  --warmup N         uncounted submissions before each scenario (default 5000; idle: a tenth)",
            "  --batch-size N     scheduler intake batch size (default 500, as 'cadre server' uses)",
            "  --data-dir DIR     where each scenario's fresh head keeps its data (default: a temp dir)",
            "  --keep-data        leave the data directories in place");

    static BenchmarkOptions parse(String[] args) {
        String scenarios = DEFAULT_SCENARIOS;
        int jobs = 50_000;
        int window = 1000;
        int idleJobs = 2000;
        int warmup = 5000;
        int batchSize = 500;
        Path dataRoot = null;
        boolean keepData = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--keep-data")) {
                keepData = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--scenarios" -> scenarios = value;
                case "--jobs" -> jobs = atLeast(1, flag, value);
                case "--window" -> window = atLeast(1, flag, value);
                case "--idle-jobs" -> idleJobs = atLeast(1, flag, value);
                case "--warmup" -> warmup = atLeast(0, flag, value);
                case "--batch-size" -> batchSize = atLeast(1, flag, value);
                case "--data-dir" -> dataRoot = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return new BenchmarkOptions(Scenario.parse(scenarios, jobs, window, idleJobs), warmup, batchSize, dataRoot,
                keepData);
    }

    /** The value as a whole number of at least min, else an error naming the flag. */
    static int atLeast(int min, String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " takes a whole number of at least " + min + ", not '" + value
                + "'");
    }
}
