package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ResourceUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows sacct shows for one job, from the REST API's description of it: the job, then its batch step (the
 * script, on the first node) once it has started. With -D a requeued job first shows each earlier run as a row
 * of its own, in the state that run ended in (REQUEUED, or NODE_FAIL when a node failure requeued it). What a run
 * used comes from its attempt's record, which only the job's own description (GET /api/jobs/ID) holds.
 */
public final class SacctRows {
    static final String NONE_ASSIGNED = "None assigned";

    private SacctRows() {
    }

    /** A job that has run more than once, or is waiting to run again: -D shows its earlier runs. */
    public static boolean wasRequeued(Json j) {
        int attempt = j.path("attempt").asInt();
        String state = j.path("state").asText();
        return attempt > 1 || (attempt == 1 && (state.equals("PENDING") || state.equals("REQUEUED")));
    }

    /** The job's row, then its batch step's when {@code steps} and it has started; with no usage figures. */
    public static List<SacctRow> of(Json j, boolean steps, Instant now) {
        return of(j, null, steps, now);
    }

    /**
     * The job's row, then its batch step's when {@code steps} and it has started.
     *
     * @param withAttempts the job as GET /api/jobs/ID describes it, whose attempts give what its latest run used;
     *        null when not read (no usage field was asked for)
     */
    public static List<SacctRow> of(Json j, Json withAttempts, boolean steps, Instant now) {
        List<SacctRow> rows = new ArrayList<>();
        SacctRow job = job(j, now).withUsage(latestUsage(j, withAttempts), null);
        rows.add(job);
        if (steps && job.start() != null) {
            SacctRow step = batchStep(job);
            rows.add(step.withUsage(job.usage(), step.nodeList().equals(NONE_ASSIGNED) ? null : step.nodeList()));
        }
        return rows;
    }

    /**
     * What the run the job's row stands for used: its current attempt's record's. None for a job waiting to run
     * again, whose row stands for no run (its earlier ones are -D's rows), as Slurm's requeued job starts with none.
     */
    static ResourceUsage latestUsage(Json j, Json withAttempts) {
        String state = j.path("state").asText();
        if (withAttempts == null || state.equals("PENDING") || state.equals("REQUEUED")) {
            return null;
        }
        int current = j.path("attempt").asInt();
        for (Json a : withAttempts.path("attempts")) {
            if (a.path("attempt").asInt() == current) {
                return ReportedUsage.of(a);
            }
        }
        return null;
    }

    static SacctRow job(Json j, Instant now) {
        JobState state = JobState.valueOf(j.path("state").asText());
        Instant start = time(j, "startTime");
        Instant end = time(j, "endTime");
        boolean ran = start != null || end != null;
        String hosts = ran ? hosts(j.path("nodeList").asText(null)) : null;
        Long limit = j.hasNonNull("timeLimitSeconds") ? j.path("timeLimitSeconds").asLong() : null;
        String reason = j.path("reason").asText(null);
        // Slurm's Elapsed leaves out the time the job spent suspended, which its Suspended column shows.
        long suspended = ScontrolJobFormat.suspendedSeconds(j, end == null ? now : end);
        return new SacctRow(j.path("displayId").asText(j.path("id").asText()), j.path("id").asText(),
                j.path("name").asText(""), j.path("partition").asText(SqueueJob.PARTITION), "",
                j.path("user").asText(""), j.path("cpus").asInt(), j.path("nodes").asInt(1), null, state == JobState.CANCELLED ? cancelled(j) : state.name(),
                j.path("exitCode").asInt(0), j.path("signal").asInt(0),
                hosts == null ? NONE_ASSIGNED : hosts, time(j, "submitTime"),
                ScontrolJobFormat.eligible(j), start, end,
                Math.max(0, elapsed(start, end, state, now) - suspended),
                limit == null ? "UNLIMITED" : SlurmTime.formatClock(limit), j.path("workDir").asText(null),
                reason == null ? "None" : reason, j.hasNonNull("priority") ? j.path("priority").asLong() : null,
                requestedMemory(j), null, null, suspended);
    }

    /**
     * Slurm's "CANCELLED by 1000": the uid of the user who cancelled the job (the REST API's cancelledBy), looked up
     * where sacct runs, as UID is; the name itself when no account here has it (Cadre records names, and the user may
     * have no account on this machine); plain CANCELLED when nobody is known (the scheduler cancelled it on its own,
     * or the cancel did not say who asked).
     */
    static String cancelled(Json j) {
        String by = j.path("cancelledBy").asText(null);
        return by == null ? "CANCELLED" : "CANCELLED by " + UnixAccounts.system().uid(by).orElse(by);
    }

    /**
     * Slurm's ReqMem, the job's whole memory request: --mem-per-cpu times its CPUs, which for an exclusive job are,
     * once it runs, all of its nodes' (as each node then enforces it), else Cadre's memory per node times the nodes.
     * A job with no figure shows 0: Slurm stores no request, and --mem=0 (which sbatch makes exclusive) alike, as a
     * request of 0, which sacct printed as 0n before it dropped the n/c suffix, and squeue's %m prints 0 for both.
     */
    static long requestedMemory(Json j) {
        if (j.hasNonNull("memoryPerCpuMb")) {
            return atMostLongMax(j.path("memoryPerCpuMb").asLong(), Math.max(1, j.path("cpus").asInt(1)));
        }
        if (j.hasNonNull("memoryMb")) {
            return atMostLongMax(j.path("memoryMb").asLong(), j.path("nodes").asInt(1));
        }
        return 0L;
    }

    /**
     * A product of two figures the head answers, up to Long.MAX_VALUE: a whole exclusive node's CPUs times a large
     * per-CPU figure passes a long, and ReqMem must never wrap to a negative size.
     */
    private static long atMostLongMax(long a, long b) {
        try {
            return Math.max(0, Math.multiplyExact(a, b));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The batch step: the script, one task on the first node. A job that ran out of time shows its step
     * CANCELLED, as Slurm does: the step was killed, the job timed out. A cancelled job's step is plain CANCELLED, as
     * Slurm's batch step is: who cancelled is the job's.
     */
    static SacctRow batchStep(SacctRow job) {
        String state = job.state().equals("TIMEOUT") || job.state().startsWith("CANCELLED") ? "CANCELLED"
                : job.state();
        String first = job.nodeList().equals(NONE_ASSIGNED) ? job.nodeList() : firstNode(job.nodeList());
        return new SacctRow(job.jobId() + ".batch", job.jobIdRaw() + ".batch", "batch", null, job.account(), null,
                Math.max(1, job.allocCpus() / Math.max(1, job.nnodes())), 1, 1, state, job.exitCode(), job.signal(),
                first, job.start(), job.start(), job.start(), job.end(), job.elapsedSeconds(), null, null, null, null,
                null, null, null, job.suspendedSeconds());
    }

    /**
     * The first host of a node list. A host name no host list can hold (stored by a node-runner from before host
     * names were checked) was printed as it is, so it is read back up to the first comma rather than refused.
     */
    private static String firstNode(String nodeList) {
        try {
            return HostList.expand(nodeList).get(0);
        } catch (IllegalArgumentException e) {
            int comma = nodeList.indexOf(',');
            return comma < 0 ? nodeList : nodeList.substring(0, comma);
        }
    }

    /** The runs that ended and were followed by another; the job's own row stands for the latest. */
    public static List<SacctRow> earlierRuns(Json summary, Json withAttempts, Instant now) {
        int current = summary.path("attempt").asInt();
        String state = summary.path("state").asText();
        boolean currentIsEarlier = state.equals("PENDING") || state.equals("REQUEUED");
        SacctRow job = job(summary, now);
        List<SacctRow> rows = new ArrayList<>();
        for (Json a : withAttempts.path("attempts")) {
            if (a.path("attempt").asInt() == current && !currentIsEarlier) {
                continue;
            }
            Instant start = time(a, "startTime");
            Instant end = time(a, "endTime");
            JobState ended = JobState.valueOf(a.path("state").asText());
            rows.add(new SacctRow(job.jobId(), job.jobIdRaw(), job.jobName(), job.partition(), job.account(),
                    job.user(), job.allocCpus(), job.nnodes(), null, ended.name(), a.path("exitCode").asInt(0),
                    a.path("signal").asInt(0), a.hasNonNull("nodes") ? hosts(a.path("nodes").asText())
                    : NONE_ASSIGNED, job.submit(), job.eligible(), start, end, elapsed(start, end, ended, now),
                    job.timelimit(), job.workDir(), attemptReason(a, ended), job.priority(), job.reqMemMb(),
                    ReportedUsage.of(a), null));
        }
        return rows;
    }

    /**
     * An earlier run's own reason, from its record's error ("NodeFail: node3 stopped answering"), not the job's
     * current one, which is about the run now.
     */
    private static String attemptReason(Json attempt, JobState ended) {
        if (!attempt.hasNonNull("error")) {
            return "None";
        }
        String error = attempt.path("error").asText();
        return ended == JobState.NODE_FAIL && !error.startsWith("NodeFail") ? "NodeFail: " + error : error;
    }

    static long elapsed(Instant start, Instant end, JobState state, Instant now) {
        if (start == null) {
            return 0;
        }
        Instant until = end != null ? end : state.isTerminal() ? start : now;
        return Math.max(0, until.getEpochSecond() - start.getEpochSecond());
    }

    private static String hosts(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isEmpty() ? null
                : HostList.compress(List.of(commaSeparated.split(",")));
    }

    private static Instant time(Json j, String field) {
        return j.path(field).asInstant();
    }
}
