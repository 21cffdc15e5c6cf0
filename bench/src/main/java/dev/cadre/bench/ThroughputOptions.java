package dev.cadre.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@link ThroughputBenchmark}. */
record ThroughputOptions(Path cadre, int jobs, int warmupJobs, int idleJobs, Duration deadline,
        List<String> upArguments, boolean keepData) {

    static final String USAGE = String.join("\n",
            "usage: run-throughput-bench.sh [options] [-- cadre up options]",
            "  --jobs N        trivial jobs submitted at once and timed (default 10000)",
            "  --warmup N      uncounted jobs run first, so the JVMs are compiled (default 2000)",
            "  --idle-jobs N   jobs submitted one at a time for the idle latency (default 200)",
            "  --deadline S    seconds the measured jobs may take to end before the run fails (default 600)",
            "  --cadre PATH    the cadre launcher (default bin/cadre of this checkout)",
            "  --keep-data     leave the data and work directories in place",
            "  after --        options for 'cadre up', e.g. --cores 32 (default: the machine's cores)");

    static ThroughputOptions parse(String[] args) {
        Path cadre = Path.of(System.getProperty("cadre.root", ".")).resolve("bin/cadre");
        int jobs = 10_000;
        int warmup = 2_000;
        int idle = 200;
        int deadline = 600;
        boolean keep = false;
        List<String> up = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--")) {
                up.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (flag.equals("--keep-data")) {
                keep = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--jobs" -> jobs = BenchmarkOptions.atLeast(1, flag, value);
                case "--warmup" -> warmup = BenchmarkOptions.atLeast(0, flag, value);
                case "--idle-jobs" -> idle = BenchmarkOptions.atLeast(1, flag, value);
                case "--deadline" -> deadline = BenchmarkOptions.atLeast(1, flag, value);
                case "--cadre" -> cadre = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return new ThroughputOptions(cadre, jobs, warmup, idle, Duration.ofSeconds(deadline), List.copyOf(up), keep);
    }
}
