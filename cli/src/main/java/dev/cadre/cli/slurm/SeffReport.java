package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ResourceUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * seff's report of one job, as Slurm's contributed seff script (contribs/seff, version 2.1, the one that counts a
 * step's memory as its largest task's times its tasks) prints it from the accounting record. Cadre's record is the
 * job's latest run's, its one step the batch step with one task: the memory figure is that step's peak, and a job
 * with no figure shows seff's {@code 0.00 MB (estimated maximum)}, as seff does for a job whose steps recorded none.
 *
 * @param jobId the record's own id
 * @param arrayJobId for an array's record, "12_3" for the task it runs, or its pending tasks ("12_[4-9]"); else null
 * @param cluster the cluster's name
 * @param user the job's user
 * @param group the user's primary group as this machine knows it, empty when it does not
 * @param state the job's state, without sacct's "by UID"
 * @param exitCode the exit status of the job's script
 * @param cpus the job's CPUs, at least 1 (seff counts a job with none as 1)
 * @param nodes the job's nodes, at least 1
 * @param requestedKb the memory the job asked for, all its nodes together, in KiB; 0 when it asked for none
 * @param perNode whether it asked per node (--mem), not per CPU (--mem-per-cpu)
 * @param cpuSeconds the CPU time its run used, user and system, to the nearest second
 * @param wallSeconds how long it ran, up to now while it runs
 * @param memoryKb the most resident memory its run held at once, in KiB; 0 when none was recorded
 * @param tasks the tasks of the step that gave the memory figure: 1, or 0 when no step gave one
 */
public record SeffReport(long jobId, String arrayJobId, String cluster, String user, String group, String state,
        int exitCode, int cpus, int nodes, long requestedKb, boolean perNode, long cpuSeconds, long wallSeconds,
        long memoryKb, int tasks) {
    private static final long MICROS = 1_000_000L;
    private static final String[] PREFIXES = {"K", "M", "G", "T", "P", "E"};

    /**
     * The report of a job as GET /api/jobs/ID describes it, with its attempts.
     *
     * @param now the time a running job's wall-clock time runs to
     * @param cluster the cluster's name (the REST API does not give it)
     * @param group the job's user's group here, or empty
     */
    public static SeffReport of(Json job, Instant now, String cluster, String group) {
        JobState state = JobState.valueOf(job.path("state").asText());
        String arrayJobId = null;
        if (job.hasNonNull("arrayJobId")) {
            arrayJobId = job.hasNonNull("arrayTaskId")
                    ? job.path("arrayJobId").asLong() + "_" + job.path("arrayTaskId").asInt()
                    : job.path("displayId").asText();
        }
        int cpus = job.path("cpus").asInt(0);
        int nodes = job.path("nodes").asInt(0);
        ResourceUsage usage = SacctRows.latestUsage(job, job);
        Long cpuMicros = usage == null ? null : usage.totalCpuMicros();
        Long rss = usage == null ? null : usage.maxRssBytes();
        long memoryKb = rss == null ? 0 : rss / 1024;
        return new SeffReport(job.path("id").asLong(), arrayJobId, cluster, job.path("user").asText(""), group,
                state.name(), job.path("exitCode").asInt(0), cpus < 1 ? 1 : cpus, nodes < 1 ? 1 : nodes,
                saturatedTimes(SacctRows.requestedMemory(job), 1024), !job.hasNonNull("memoryPerCpuMb"),
                cpuMicros == null ? 0 : seconds(cpuMicros),
                SacctRows.elapsed(job.path("startTime").asInstant(), job.path("endTime").asInstant(), state, now),
                memoryKb, memoryKb > 0 ? 1 : 0);
    }

    /** The report's lines, as seff prints them. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Job ID: " + jobId);
        if (arrayJobId != null) {
            lines.add("Array Job ID: " + arrayJobId);
        }
        lines.add("Cluster: " + cluster);
        lines.add("User/Group: " + user + "/" + group);
        boolean pending = state.equals("PENDING");
        lines.add(pending || state.equals("RUNNING") ? "State: " + state
                : "State: " + state + " (exit code " + exitCode + ")");
        if (cpus == 1) {
            lines.add("Cores: 1");
        } else {
            lines.add("Nodes: " + nodes);
            lines.add("Cores per node: " + cpus / nodes);
        }
        if (pending) {
            lines.add("Efficiency not available for jobs in the PENDING state.");
            return lines;
        }
        long coreWalltime = saturatedTimes(wallSeconds, cpus);
        double cpuEfficiency = coreWalltime != 0 ? (double) cpuSeconds / coreWalltime * 100 : 0.0;
        lines.add("CPU Utilized: " + clock(cpuSeconds));
        lines.add("CPU Efficiency: " + twoPlaces(cpuEfficiency) + "% of " + clock(coreWalltime) + " core-walltime");
        lines.add("Job Wall-clock time: " + clock(wallSeconds));
        lines.add("Memory Utilized: " + kibibytes(memoryKb) + (tasks == 1 ? "" : " (estimated maximum)"));
        double memoryEfficiency = requestedKb != 0 ? (double) memoryKb / requestedKb * 100 : 0.0;
        String of = "Memory Efficiency: " + twoPlaces(memoryEfficiency) + "% of " + kibibytes(requestedKb);
        if (tasks == 1) {
            lines.add(of);
        } else if (perNode) {
            lines.add(of + " (" + kibibytes((double) requestedKb / nodes) + "/node)");
        } else {
            lines.add(of + " (" + kibibytes((double) requestedKb / cpus) + "/core)");
        }
        if (state.equals("RUNNING")) {
            lines.add("WARNING: Efficiency statistics may be misleading for RUNNING jobs.");
        }
        return lines;
    }

    /** seff -d's lines before the report: the figures it read, and a blank line. */
    public List<String> debugLines() {
        return List.of("Slurm data: JobID ArrayJobID User Group State Clustername Ncpus Nnodes Ntasks Reqmem PerNode"
                + " Cput Walltime Mem ExitStatus", "Slurm data: " + jobId + " " + (arrayJobId == null ? "" : arrayJobId)
                + " " + user + " " + group + " " + state + " " + cluster + " " + cpus + " " + nodes + " " + tasks + " "
                + requestedKb + " " + (perNode ? 1 : 0) + " " + cpuSeconds + " " + wallSeconds + " "
                + memoryKb * tasks + " " + exitCode, "");
    }

    /** Seconds as seff's time2str: [D-]HH:MM:SS, the days only from one day on. */
    static String clock(long seconds) {
        long days = seconds / 86_400;
        long rest = seconds % 86_400;
        return (days < 1 ? "" : days + "-") + twoDigits(rest / 3600) + ":" + twoDigits(rest % 3600 / 60) + ":"
                + twoDigits(rest % 60);
    }

    /**
     * KiB as seff's kbytes2str: two decimals of the largest power of 1024 the figure reaches, "0.00 MB" for none. A
     * figure under 1 MiB is in KB, as the later seff prints it; seff 2.1 printed it with the prefix "E" (its list of
     * prefixes starts at M and Perl's index -1 is the last).
     */
    static String kibibytes(double kb) {
        if (kb == 0) {
            return "0.00 MB";
        }
        // The same arithmetic as seff's, so that a figure at a power of 1024 takes the same unit.
        int exp = (int) (Math.log(kb) / Math.log(1024));
        String prefix = exp >= 0 && exp < PREFIXES.length ? PREFIXES[exp] : "";
        return twoPlaces(kb / Math.pow(1024, exp)) + " " + prefix + "B";
    }

    /** printf's %.2f: the double's exact value rounded half to even, as C rounds it. */
    static String twoPlaces(double value) {
        return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String twoDigits(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }

    /** Microseconds to seconds as seff adds them: whole seconds, the rest rounded half up. */
    private static long seconds(long micros) {
        return micros / MICROS + (micros % MICROS >= MICROS / 2 ? 1 : 0);
    }

    private static long saturatedTimes(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
