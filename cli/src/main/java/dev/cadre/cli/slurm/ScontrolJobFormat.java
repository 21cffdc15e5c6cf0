package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobPriority;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scontrol show job}: one job of the REST API's list in scontrol's KEY=VALUE layout, its lines in
 * scontrol's order with the keys Cadre has a value for (the resource lines: {@link ScontrolJobResources}). Lines
 * are joined by a newline and three spaces and the record ends with an empty indented line and a blank one, as
 * scontrol prints it.
 */
public final class ScontrolJobFormat {
    /** docs/protocol.md 5.6: a computed priority starts here, gains a point a minute for a week, less nice. */

    private ScontrolJobFormat() {
    }

    /** @param job a job as GET /api/jobs/{id} returns it; its user shown by name only */
    public static String render(Json job, Instant now, ZoneId zone) {
        return render(job, now, zone, false, UnixAccounts.NONE);
    }

    /**
     * @param oneLiner scontrol -o: the record's lines joined by a space, ending in a space and a newline, as
     *        scontrol ends each of its lines, the last one included, before it ends the record
     * @param accounts where the user's ids and group are found
     */
    public static String render(Json job, Instant now, ZoneId zone, boolean oneLiner, UnixAccounts accounts) {
        return render(job, now, zone, oneLiner, accounts, null);
    }

    /**
     * @param expected when and where the head expects this job to start if it is pending, as Slurm shows a
     *        backfill estimate in StartTime, EndTime and SchedNodeList; null for none
     */
    public static String render(Json job, Instant now, ZoneId zone, boolean oneLiner, UnixAccounts accounts,
            ExpectedStart expected) {
        return render(job, now, zone, oneLiner, accounts, expected, false);
    }

    /** @param details scontrol -d: with the CPUs the job holds on each node, where its answer has them */
    public static String render(Json job, Instant now, ZoneId zone, boolean oneLiner, UnixAccounts accounts,
            ExpectedStart expected, boolean details) {
        String state = job.path("state").asText();
        List<String> lines = new ArrayList<>();
        lines.add("JobId=" + job.path("id").asLong() + " " + arrayFields(job) + "JobName=" + text(job, "name"));
        lines.add(accounts.of(job.path("user").asText(null)).map(a -> "UserId=" + a.user() + "(" + a.uid()
                + ") GroupId=" + (a.group() == null ? "(null)" : a.group()) + "(" + a.gid() + ") MCS_label=N/A")
                .orElse("UserId=" + text(job, "user")));
        lines.add("Priority=" + priority(job, now) + " Nice=" + job.path("nice").asInt(0));
        lines.add("JobState=" + state + " Reason=" + reason(job) + " Dependency=" + dependency(job));
        lines.add("Requeue=" + (job.path("requeue").asBoolean(true) ? 1 : 0) + " Restarts=" + restarts(job)
                + " BatchFlag=1 Reboot=0 ExitCode=" + job.path("exitCode").asInt(0) + ":"
                + job.path("signal").asInt(0));
        Instant start = time(job, "startTime");
        Instant end = time(job, "endTime");
        // Slurm's RunTime and EndTime leave out, and push on by, the time the job spent suspended.
        long suspended = suspendedSeconds(job, end == null ? now : end);
        long run = start == null ? 0 : Math.max(0, Duration.between(start, end == null ? now : end).getSeconds()
                - suspended);
        Long limit = job.hasNonNull("timeLimitSeconds") ? job.get("timeLimitSeconds").asLong() : null;
        lines.add("RunTime=" + SlurmTime.formatClock(run) + " TimeLimit="
                + (limit == null ? "UNLIMITED" : SlurmTime.formatClock(limit)) + " TimeMin=N/A");
        lines.add("SubmitTime=" + SlurmTime.formatDate(time(job, "submitTime"), zone) + " EligibleTime="
                + SlurmTime.formatDate(eligible(job), zone));
        // A running job's end is its start plus its limit, as scontrol shows it.
        Instant expectedEnd = end != null ? end
                : start != null && limit != null && isActive(state) ? start.plusSeconds(limit + suspended) : null;
        boolean estimated = expected != null && state.equals("PENDING");
        if (estimated) {
            // An estimate ends, like a running job, a whole limit after it starts.
            start = expected.start();
            expectedEnd = limit == null ? null : start.plusSeconds(limit);
        }
        lines.add("StartTime=" + SlurmTime.formatDate(start, zone) + " EndTime="
                + SlurmTime.formatDate(expectedEnd, zone) + " Deadline="
                + (job.hasNonNull("deadline") ? SlurmTime.formatDate(time(job, "deadline"), zone) : "N/A"));
        lines.add(suspendFields(job, state, run, suspended, zone));
        lines.add("Partition=" + job.path("partition").asText(SqueueJob.PARTITION));
        if (job.hasNonNull("service")) {
            // Not Slurm's: an instance of a standing service, which a scancel only has replaced.
            lines.add("Service=" + job.get("service").asText());
        }
        boolean placed = isActive(state) || end != null;
        ScontrolJobResources.addRequestedNodes(job, lines);
        lines.add("NodeList=" + (placed ? text(job, "nodeList") : "(null)")
                + (estimated && expected.hosts() != null ? " SchedNodeList=" + expected.hosts() : ""));
        if (placed && job.hasNonNull("nodeList")) {
            // The node that runs the batch script: the allocation's first.
            String nodes = job.get("nodeList").asText();
            int comma = nodes.indexOf(',');
            lines.add("BatchHost=" + (comma < 0 ? nodes : nodes.substring(0, comma)));
        }
        ScontrolJobResources.addCounts(job, placed && job.hasNonNull("nodeList"), details, lines);
        lines.add("Command=" + command(job));
        lines.add("WorkDir=" + text(job, "workDir"));
        String stdout = outputPath(job, job.path("stdout").asText(null));
        lines.add("StdErr=" + (job.hasNonNull("stderr") ? outputPath(job, job.get("stderr").asText()) : stdout));
        ScontrolJobResources.addStdin(job, lines);
        lines.add("StdOut=" + stdout);
        // Only a job's own answer carries the spec. Slurm prints the line only for a job mailed for something
        // (slurm_sprint_job_info: mail_type && mail_user), its recipient the job's user unless another was named.
        List<String> types = new ArrayList<>();
        job.path("spec").path("mailType").forEach(t -> types.add(t.asText()));
        String mailed = SlurmMail.print(types);
        if (!mailed.equals("NONE")) {
            lines.add("MailUser=" + job.path("spec").path("mailUser").asText(text(job, "user")) + " MailType="
                    + mailed);
        }
        String lineEnd = oneLiner ? " " : "\n   ";
        return String.join(lineEnd, lines) + lineEnd + (oneLiner ? "\n" : "\n\n");
    }

    /**
     * The script file's absolute path as sbatch sent it (in the spec, which only a single job's answer carries);
     * Slurm's (null) for --wrap and standard input.
     */
    private static String command(Json job) {
        return job.path("spec").path("environment").path(SbatchCommandLine.SCRIPT_PATH_VARIABLE).asText("(null)");
    }

    private static String arrayFields(Json job) {
        if (!job.hasNonNull("arrayJobId")) {
            return "";
        }
        String task = job.hasNonNull("arrayTaskId") ? job.get("arrayTaskId").asText() : text(job, "arrayPending");
        String throttle = job.hasNonNull("arrayThrottle") ? "ArrayTaskThrottle=" + job.get("arrayThrottle").asInt()
                + " " : "";
        return "ArrayJobId=" + job.get("arrayJobId").asLong() + " ArrayTaskId=" + task + " " + throttle;
    }

    /**
     * Held jobs show 0, as in Slurm; otherwise the scheduler's rule ({@link JobPriority}): the fixed priority, or the
     * computed one now, or for a job that has started at its start, when it stopped counting.
     */
    static long priority(Json job, Instant now) {
        if (job.hasNonNull("hold")) {
            return 0;
        }
        Instant until = time(job, "startTime") != null ? time(job, "startTime") : now;
        Long fixed = job.hasNonNull("priority") ? job.get("priority").asLong() : null;
        Instant submit = time(job, "submitTime");
        int nice = job.path("nice").asInt(0);
        if (submit == null) {
            // A job without a submission time (an answer no head gives, or a test's) has waited no time.
            return JobPriority.of(fixed, Instant.EPOCH, nice, Instant.EPOCH);
        }
        return JobPriority.of(fixed, submit, nice, until);
    }

    /** The points a computed priority gains by waiting until then (sprio's AGE), by the scheduler's rule. */
    static long agePoints(Json job, Instant until) {
        Instant submit = time(job, "submitTime");
        return submit == null ? 0 : JobPriority.agePoints(submit, until);
    }

    /** Slurm puts no blanks in a reason, so the line stays KEY=VALUE pairs. */
    private static String reason(Json job) {
        String state = job.path("state").asText();
        String reason = job.path("reason").asText(null);
        if (reason == null || isActive(state)) {
            return "None";
        }
        return reason.replaceAll("\\s", "_");
    }

    /** A pending job that has an attempt was requeued after it; a started one has had one restart fewer. */
    static int restarts(Json job) {
        int attempt = job.path("attempt").asInt(0);
        String state = job.path("state").asText();
        return state.equals("PENDING") || state.equals("REQUEUED") ? attempt : Math.max(0, attempt - 1);
    }

    /**
     * Unknown while held or waiting on a dependency; else the latest of submission, --begin and the job's eligible
     * time: a backoff, or when the scheduler found it eligible (its hold released, its dependency satisfied), which
     * it keeps through the job's start and end. sacct's Eligible is the same time.
     */
    static Instant eligible(Json job) {
        if (job.hasNonNull("hold") || job.path("reason").asText("").startsWith("Dependency")) {
            return null;
        }
        Instant at = time(job, "submitTime");
        for (String field : List.of("beginTime", "eligibleTime")) {
            Instant t = time(job, field);
            if (t != null && (at == null || t.isAfter(at))) {
                at = t;
            }
        }
        return at;
    }

    /**
     * The output path as scontrol shows it: the pattern (or Slurm's default) with %A, %a, %j, %u and %x filled
     * in, under the working directory. Other patterns are left, as scontrol leaves them; %a only means something
     * for an array task.
     */
    static String outputPath(Json job, String pattern) {
        boolean task = job.hasNonNull("arrayTaskId");
        String p = pattern != null ? pattern : task ? "slurm-%A_%a.out" : "slurm-%j.out";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            char next = i + 1 < p.length() ? p.charAt(i + 1) : 0;
            String value = c != '%' ? null : switch (next) {
                case '%' -> "%";
                case 'A' -> job.path(job.hasNonNull("arrayJobId") ? "arrayJobId" : "id").asText();
                case 'a' -> task ? job.get("arrayTaskId").asText() : null;
                case 'j' -> job.path("id").asText();
                case 'u' -> job.path("user").asText();
                case 'x' -> job.path("name").asText();
                default -> null;
            };
            if (value == null) {
                out.append(c);
            } else {
                out.append(value);
                i++;
            }
        }
        String path = out.toString();
        return path.startsWith("/") ? path : text(job, "workDir") + "/" + path;
    }

    private static boolean isActive(String state) {
        return state.equals("RUNNING") || state.equals("COMPLETING") || state.equals("SUSPENDED");
    }

    /**
     * How long the job's current attempt has spent suspended by {@code now}: what the head stored, and while it is
     * SUSPENDED the time since its SuspendTime.
     */
    public static long suspendedSeconds(Json job, Instant now) {
        return suspendedSeconds(job.path("state").asText().equals("SUSPENDED"), job.path("suspendedMillis").asLong(0),
                time(job, "suspendTime"), now);
    }

    /**
     * The rule of {@link #suspendedSeconds(Json, Instant)} over a job's fields: what was stored, and while it is
     * suspended the time since it was.
     */
    public static long suspendedSeconds(boolean suspendedNow, long suspendedMillis, Instant suspendTime, Instant now) {
        long millis = suspendedMillis;
        if (suspendedNow && suspendTime != null && now.isAfter(suspendTime)) {
            millis += Duration.between(suspendTime, now).toMillis();
        }
        return millis / 1000;
    }

    /**
     * "SuspendTime=... SecsPreSuspend=N": when the job was last suspended or resumed (None when never), and how long it
     * had run up to then, all of its run time while it is suspended.
     */
    static String suspendFields(Json job, String state, long run, long suspended, ZoneId zone) {
        Instant at = time(job, "suspendTime");
        Instant start = time(job, "startTime");
        long before = at == null || start == null ? 0 : state.equals("SUSPENDED") ? run
                : Math.max(0, Duration.between(start, at).getSeconds() - suspended);
        return "SuspendTime=" + (at == null ? "None" : SlurmTime.formatDate(at, zone)) + " SecsPreSuspend=" + before;
    }

    private static Instant time(Json job, String field) {
        return job.path(field).asInstant();
    }

    /**
     * What is left of a pending job's dependency as the head judges it, in Slurm's form
     * ({@code afterok:5_*(unfulfilled)}); (null) for none left, and for a job that started or ended, as Slurm clears
     * a dependency once it is met. A pending job the head gives no status for (a head older than the field) shows
     * the dependency it was given.
     */
    static String dependency(Json job) {
        if (job.hasNonNull("dependencyStatus")) {
            return job.get("dependencyStatus").path("text").asText("(null)");
        }
        return job.path("state").asText().equals("PENDING") && job.hasNonNull("dependency")
                ? job.get("dependency").asText() : "(null)";
    }

    private static String text(Json job, String field) {
        return job.hasNonNull(field) ? job.get(field).asText() : "(null)";
    }
}
