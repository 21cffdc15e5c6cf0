package dev.cadre.cli;

import dev.cadre.broker.BrokerLimits;
import dev.cadre.cli.slurm.SlurmTime;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.node.RuntimeDirectory;
import dev.cadre.node.core.HeadRecord;
import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.NodeGpus;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.NodeHostName;
import dev.cadre.scheduler.MailSender;
import dev.cadre.scheduler.core.FairShareSettings;
import dev.cadre.scheduler.core.HistoryRetention;
import dev.cadre.scheduler.core.PlacementPolicy;
import dev.cadre.scheduler.core.SchedulerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The daemons' options that take more than a range check: each read, checked and named in its error. */
final class DaemonOptions {
    private DaemonOptions() {
    }

    /** The scheduler's options of 'cadre up' and 'cadre server'. */
    static SchedulerSettings scheduling(LongOptions o) throws LongOptions.UsageException {
        PlacementPolicy.Kind policy;
        try {
            policy = PlacementPolicy.Kind.byName(o.get("scheduler-policy", PlacementPolicy.Kind.EASY.configName()));
        } catch (IllegalArgumentException e) {
            throw new LongOptions.UsageException("--scheduler-policy: " + e.getMessage());
        }
        String never = o.get("dependency-never-satisfied", "cancel");
        if (!never.equals("cancel") && !never.equals("hold")) {
            throw new LongOptions.UsageException("--dependency-never-satisfied must be cancel or hold, not '" + never + "'");
        }
        int backoff = o.integer("requeue-backoff", 10, 0, 86_400);
        int backoffMax = o.integer("requeue-backoff-max", 600, 0, 604_800);
        if (backoffMax < backoff) {
            throw new LongOptions.UsageException("--requeue-backoff-max (" + backoffMax + ") is below --requeue-backoff ("
                    + backoff + ")");
        }
        int resolution = o.integer("backfill-resolution",
                (int) SchedulerSettings.DEFAULT_BACKFILL_RESOLUTION.toSeconds(), 1, 3600);
        int window = o.integer("backfill-window", (int) SchedulerSettings.DEFAULT_BACKFILL_WINDOW.toSeconds(), 1,
                30 * 86_400);
        if (window < resolution || window / resolution > SchedulerSettings.MAX_BACKFILL_STEPS) {
            throw new LongOptions.UsageException("--backfill-window (" + window + ") must be from 1 to "
                    + SchedulerSettings.MAX_BACKFILL_STEPS + " times --backfill-resolution (" + resolution + ")");
        }
        return new SchedulerSettings(policy, o.integer("backfill-depth", SchedulerSettings.DEFAULT_BACKFILL_DEPTH, 1,
                1_000_000), Duration.ofSeconds(resolution), Duration.ofSeconds(window),
                Duration.ofSeconds(o.integer("node-timeout", 60, 1, 86_400)),
                Duration.ofSeconds(backoff), Duration.ofSeconds(backoffMax), never.equals("cancel"),
                o.flag("enable-user-top"), fairShare(o));
    }

    /** The most a fair-share factor of 1.0 may be worth: the most Slurm's 32-bit priority holds. */
    static final int MAX_FAIR_SHARE_WEIGHT = Integer.MAX_VALUE;

    /**
     * --priority-weight-fairshare, --priority-decay-half-life (Slurm's time form, 7-0 by default; 0 for no decay)
     * and --priority-calc-period (seconds).
     */
    static FairShareSettings fairShare(LongOptions o) throws LongOptions.UsageException {
        long weight = o.integer("priority-weight-fairshare", 0, 0, MAX_FAIR_SHARE_WEIGHT);
        String halfLife = o.get("priority-decay-half-life", null);
        Duration decay = FairShareSettings.DEFAULT_HALF_LIFE;
        if (halfLife != null) {
            Long seconds;
            try {
                seconds = SlurmTime.parseTimeLimit(halfLife);
            } catch (SlurmUsageException e) {
                seconds = -1L;
            }
            if (seconds != null && (seconds < 0 || seconds > 3650L * 86_400)) {
                throw new LongOptions.UsageException("--priority-decay-half-life must be a time such as 7-0"
                        + " (days-hours), 14-0:00:00, 90 (minutes) or 0 for no decay, of at most 3650 days; not '"
                        + halfLife + "'");
            }
            decay = seconds == null ? Duration.ZERO : Duration.ofSeconds(seconds);
        }
        int period = o.integer("priority-calc-period",
                (int) FairShareSettings.DEFAULT_CALC_PERIOD.toSeconds(), 1, 86_400);
        return new FairShareSettings(weight, decay, Duration.ofSeconds(period));
    }

    /** Sets the default of {@code --job-history-retention}, as CADRE_BROKER_EVENT_RETENTION does the broker's. */
    static final String JOB_HISTORY_RETENTION = "CADRE_JOB_HISTORY_RETENTION";

    /** How long ended jobs stay in cadre.db: {@code --job-history-retention}, else the variable, else forever. */
    static HistoryRetention historyRetention(LongOptions o, Map<String, String> env) throws LongOptions.UsageException {
        String option = o.get("job-history-retention", null);
        String variable = env.get(JOB_HISTORY_RETENTION);
        try {
            if (option != null) {
                return HistoryRetention.parse("--job-history-retention", option);
            }
            return variable == null || variable.isBlank() ? HistoryRetention.FOREVER
                    : HistoryRetention.parse(JOB_HISTORY_RETENTION, variable);
        } catch (IllegalArgumentException e) {
            throw new LongOptions.UsageException(e.getMessage());
        }
    }

    /**
     * The broker's CADRE_BROKER_* settings, checked before the head makes anything (the broker reads them again as it
     * starts): a bad value is refused as a bad option is, naming the variable and the values it takes.
     */
    static void checkBrokerSettings(Map<String, String> env) throws LongOptions.UsageException {
        try {
            BrokerLimits.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new LongOptions.UsageException(e.getMessage());
        }
    }

    /** Sets the default of {@code --rediscover-after}, for a node started by a service manager's unit, say. */
    static final String REDISCOVER_AFTER = "CADRE_REDISCOVER_AFTER";
    static final int REDISCOVER_AFTER_DEFAULT = 120;

    /**
     * How long a node cut off from the head it found over mDNS waits before browsing again: {@code
     * --rediscover-after}, else {@link #REDISCOVER_AFTER}, else two minutes.
     */
    static Duration rediscoverAfter(LongOptions o, Map<String, String> env) throws LongOptions.UsageException {
        String value = env.get(REDISCOVER_AFTER);
        int fallback = REDISCOVER_AFTER_DEFAULT;
        if (value != null && !value.isBlank()) {
            try {
                fallback = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                fallback = 0;
            }
            if (fallback < 1 || fallback > 86_400) {
                throw new LongOptions.UsageException(REDISCOVER_AFTER + " must be a number of seconds from 1 to 86400,"
                        + " not '" + value + "'");
            }
        }
        return Duration.ofSeconds(o.integer("rediscover-after", fallback, 1, 86_400));
    }

    /** {@code --memory-check-interval}: how often a node measures the memory of jobs that asked for some. */
    static Duration memoryChecks(LongOptions o) throws LongOptions.UsageException {
        return Duration.ofMillis(o.integer("memory-check-interval", 1000, 100, 600_000));
    }

    /** {@code --process-tracking}: how a node finds a job's processes. */
    static ProcessTracking.Mode processTracking(LongOptions o) throws LongOptions.UsageException {
        try {
            return ProcessTracking.Mode.byName(o.get("process-tracking", ProcessTracking.Mode.AUTO.configName()));
        } catch (IllegalArgumentException e) {
            throw new LongOptions.UsageException(e.getMessage());
        }
    }

    /**
     * {@code --gpus}: a count, or each type's count ({@code a100:2,v100:1}); null when not given, for the node to
     * find its GPUs with nvidia-smi.
     */
    static NodeGpus gpus(LongOptions o) throws LongOptions.UsageException {
        String given = o.get("gpus", null);
        try {
            return given == null ? null : NodeGpus.declared(given);
        } catch (IllegalArgumentException e) {
            throw new LongOptions.UsageException("--gpus " + given + ": " + e.getMessage());
        }
    }

    /** {@code --cpu-binding}: whether a node binds each job to the CPUs it was given. */
    static CpuChoice.Mode cpuBinding(LongOptions o) throws LongOptions.UsageException {
        try {
            return CpuChoice.Mode.byName(o.get("cpu-binding", CpuChoice.Mode.CORES.configName()));
        } catch (IllegalArgumentException e) {
            throw new LongOptions.UsageException(e.getMessage());
        }
    }

    /** @return null when not given: the node then applies {@link RuntimeDirectory}'s rule */
    static Path runtimeDir(LongOptions o) throws LongOptions.UsageException {
        String dir = o.get("runtime-dir", null);
        if (dir == null) {
            return null;
        }
        try {
            if (!dir.isBlank()) {
                return Path.of(dir).toAbsolutePath();
            }
        } catch (java.nio.file.InvalidPathException bad) {
            // reported below
        }
        throw new LongOptions.UsageException("--runtime-dir must name a directory, not '" + dir + "'");
    }

    /**
     * The host name a node registers with: {@code --hostname}, else the machine's. Checked here, before the node
     * joins, as the head refuses a heartbeat with a name an MPI hostfile or a Slurm host list cannot hold.
     */
    static String nodeHostname(LongOptions o, String machine) throws LongOptions.UsageException {
        String given = o.get("hostname", null);
        String name = given != null ? given : machine;
        var problem = NodeHostName.problem(name);
        if (problem.isPresent()) {
            throw new LongOptions.UsageException((given != null ? "--hostname: " + problem.get()
                    : "this machine's host name cannot be a node's: " + problem.get() + "; give the node another"
                    + " with --hostname"));
        }
        return name;
    }

    /** 'cadre up' names its local node after the machine; a name a node may not have stops it before it starts. */
    static void checkLocalNodeHostname(String machine) throws LongOptions.UsageException {
        var problem = NodeHostName.problem(machine);
        if (problem.isPresent()) {
            throw new LongOptions.UsageException("this machine's host name cannot be a node's: " + problem.get()
                    + "; run 'cadre server' here and 'cadre node --hostname NAME' for its node instead of 'cadre up'");
        }
    }

    /**
     * {@code --mail-prog}: the program the head mails jobs' --mail-type news with; "" for none; by default
     * /usr/bin/mail when it is there to run. Null when mail is off.
     */
    static Path mailProgram(LongOptions o) throws LongOptions.UsageException {
        String given = o.get("mail-prog", null);
        if (given == null || given.isEmpty()) {
            return MailSender.program(given);
        }
        try {
            Path program = Path.of(given).toAbsolutePath();
            if (java.nio.file.Files.isRegularFile(program) && java.nio.file.Files.isExecutable(program)) {
                return program;
            }
        } catch (java.nio.file.InvalidPathException bad) {
            // reported below
        }
        throw new LongOptions.UsageException("--mail-prog: '" + given + "' is not a program this user can run;"
                + " give '' to send no mail");
    }

    static String cluster(LongOptions o) throws LongOptions.UsageException {
        try {
            return HeadRecord.checkCluster(o.get("cluster", "cadre"));
        } catch (IllegalArgumentException e) {
            throw new LongOptions.UsageException(e.getMessage());
        }
    }
}
