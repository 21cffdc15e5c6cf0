package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a user asks to run. Field names follow Slurm's long options where they exist.
 * The script is always a complete batch script (sbatch --wrap produces one), run through its #! line.
 *
 * @param timeLimitSeconds null means no limit
 * @param stdout output path pattern (%j %x %u %N %%); null means slurm-%j.out in the working directory
 * @param stderr null means stderr goes with stdout
 * @param maxAttempts how many times the job may be started in all, the starts after node failures included; a
 *        requeue a user asks for (scontrol requeue) does not count
 * @param nodes the node count (-N); null lets placement use as few nodes as the tasks need
 * @param nodelist hosts the allocation must include (-w), each entry a host name, node id or Slurm hostlist
 *        expression such as {@code node[1-3,5]}
 * @param exclude hosts the allocation must never use (-x), in the same forms
 * @param memoryMb memory per node in MiB (--mem, or --mem-per-cpu times the CPUs asked for on a node)
 * @param memoryPerCpuMb --mem-per-cpu when that gave memoryMb: an exclusive job has every CPU of its nodes, so each
 *        node holds it to this times its CPUs there, as Slurm does; null for none
 * @param exclusive true to take whole nodes that no other job shares (--exclusive)
 * @param nice lowers the job's priority by this much (negative raises it); null is 0
 * @param priority a fixed priority (scontrol update priority=), replacing the computed one; null computes it
 * @param beginTime the job is not started before this time (--begin)
 * @param deadline the job is ended DEADLINE while pending once it can no longer end by this time (--deadline): from
 *        the later of now and its begin time, its time limit would run past it; a job without a time limit starts
 *        with the time left to it as its limit
 * @param dependency Slurm's --dependency text; see {@link Dependencies}
 * @param killOnInvalidDependency whether a dependency that can never be satisfied cancels the job (true) or
 *        leaves it pending with reason DependencyNeverSatisfied (false); null takes the scheduler's setting
 * @param hold "user" or "admin" while the job is held (sbatch -H, scontrol hold); null when it is not
 * @param array Slurm's --array text ("0-99%4"); see {@link ArraySpec}
 * @param warningSignal a signal sent this many seconds before the time limit (--signal=SIG@TIME)
 * @param warningBatchOnly true to signal only the batch script's process, not all of the job's processes
 * @param requeue false to never start the job again after a node failure; null or true requeues while
 *        attempts remain
 * @param service the standing service this job is an instance of, set by the scheduler
 * @param mailType the events to mail about (--mail-type), names of {@link MailType}; null for none
 * @param mailUser who gets the mail (--mail-user); null for the job's user, as Slurm's default
 * @param reservation the advance reservation the job runs in (--reservation): only on its nodes, only while it
 *        is active, and only for a user it admits; see {@link AdvanceReservation}
 * @param gpuType the type of every GPU the job asks for (--gpus a100:1); null for GPUs of any type ({@link GpuTypes})
 * @param partition the partitions the job may run in (-p), comma-separated, in the user's order: it starts in
 *        whichever can start it first, and then names that one; null for the default ({@link Partition}), which
 *        the scheduler names at submission
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(
        String name,
        String user,
        String script,
        List<String> args,
        String workDir,
        String stdout,
        String stderr,
        String stdin,
        Map<String, String> environment,
        Long timeLimitSeconds,
        Integer nodes,
        Integer tasks,
        Integer tasksPerNode,
        Integer cpusPerTask,
        Integer gpusPerTask,
        Long memoryMb,
        Long memoryPerCpuMb,
        String kind,
        String submitHost,
        Integer maxAttempts,
        List<String> nodelist,
        List<String> exclude,
        Boolean exclusive,
        Integer nice,
        Long priority,
        Instant beginTime,
        String dependency,
        Boolean killOnInvalidDependency,
        String hold,
        String array,
        String warningSignal,
        Integer warningSeconds,
        Boolean warningBatchOnly,
        Boolean requeue,
        String service,
        List<String> mailType,
        String mailUser,
        Instant deadline,
        String reservation,
        String gpuType,
        String partition) {

    /**
     * The variable holding the batch script's path as sbatch was given it, which scontrol show job prints as
     * Command=: free text ({@link PrintableText}), unlike the rest of the environment.
     */
    public static final String SCRIPT_PATH_VARIABLE = "CADRE_BATCH_SCRIPT";
    public static final String KIND_EXEC = "exec";
    public static final String KIND_MPI = "mpi";
    public static final String HOLD_USER = "user";
    public static final String HOLD_ADMIN = "admin";
    /** Attempts when the spec gives none: the first start and three requeues after node failures. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /**
     * Parsed --array texts: the scheduler asks every pass, and overlapping ranges take long to parse. Weak keys
     * let an entry go with the last spec holding its text.
     */
    private static final Map<String, ArraySpec> PARSED_ARRAYS = Collections.synchronizedMap(new WeakHashMap<>());

    public JobSpec {
        args = args == null ? List.of() : NullKeepingCopies.of(args);
        environment = environment == null ? Map.of() : NullKeepingCopies.of(environment);
        // Absent and empty mean the same; keeping absent ones null keeps them off the wire.
        nodelist = HostExpressions.of(nodelist);
        exclude = HostExpressions.of(exclude);
        mailType = mailType == null ? null : NullKeepingCopies.of(mailType);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().name(name).user(user).script(script).args(args).workDir(workDir)
                .stdout(stdout).stderr(stderr).stdin(stdin).environment(environment)
                .timeLimitSeconds(timeLimitSeconds).nodes(nodes).tasks(tasks).tasksPerNode(tasksPerNode)
                .cpusPerTask(cpusPerTask).gpusPerTask(gpusPerTask).memoryMb(memoryMb).memoryPerCpuMb(memoryPerCpuMb)
                .kind(kind).submitHost(submitHost).maxAttempts(maxAttempts).nodelist(nodelist).exclude(exclude)
                .exclusive(exclusive).nice(nice).priority(priority).beginTime(beginTime).dependency(dependency)
                .killOnInvalidDependency(killOnInvalidDependency).hold(hold).array(array)
                .warningSignal(warningSignal).warningSeconds(warningSeconds).warningBatchOnly(warningBatchOnly)
                .requeue(requeue).service(service).mailType(mailType).mailUser(mailUser).deadline(deadline)
                .reservation(reservation).gpuType(gpuType).partition(partition);
    }

    /**
     * The fewest nodes the job runs on: -N when given, else enough for every required host and for
     * --ntasks-per-node to hold the tasks. A spec that has passed {@link JobSpecValidator} never throws here.
     */
    public int nodeCount() {
        return JobShape.nodeCount(this);
    }

    /** The job's tasks: -n when given, else --ntasks-per-node on each node, else one per node. */
    public int taskCount() {
        return JobShape.taskCount(this);
    }

    /**
     * The most tasks the job asks of any one node: tasksPerNode when given, else its tasks spread evenly over
     * {@link #nodeCount()} nodes, rounded up (without -N, all of them: the job may land on one node). What
     * --mem-per-cpu and --gres are counted against (sbatch), and so what memoryPerCpuMb must come to
     * ({@link JobSpecValidator}).
     */
    public int tasksOnBusiestNode() {
        return JobShape.tasksOnBusiestNode(this);
    }

    /** The -w hosts, expanded, each once, in the order given; worked out once per list. */
    public List<String> requiredHosts() {
        return HostExpressions.hosts(nodelist);
    }

    /** The -x hosts, expanded, each once; worked out once per list. */
    public List<String> excludedHosts() {
        return HostExpressions.hosts(exclude);
    }

    public boolean wholeNodes() {
        return Boolean.TRUE.equals(exclusive);
    }

    public int cpusPerTaskOrOne() {
        return cpusPerTask == null ? 1 : cpusPerTask;
    }

    public int gpusPerTaskOrZero() {
        return gpusPerTask == null ? 0 : gpusPerTask;
    }

    /** How many times the job may start in all: 1 without requeue, else maxAttempts or the default. */
    public int attemptLimit() {
        if (Boolean.FALSE.equals(requeue)) {
            return 1;
        }
        return maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
    }

    public int niceOrZero() {
        return nice == null ? 0 : nice;
    }

    public boolean hasArray() {
        return array != null;
    }

    /** The parsed --array, parsed once per text; only for a spec that passed {@link JobSpecValidator}. */
    public ArraySpec arraySpec() {
        ArraySpec parsed = PARSED_ARRAYS.get(array);
        if (parsed == null) {
            parsed = ArraySpec.parse(array);
            PARSED_ARRAYS.put(array, parsed);
        }
        return parsed;
    }

    public String kindOrExec() {
        return kind == null ? KIND_EXEC : kind;
    }

    public static final class Builder {
        private String name;
        private String user;
        private String script;
        private List<String> args;
        private String workDir;
        private String stdout;
        private String stderr;
        private String stdin;
        private Map<String, String> environment;
        private Long timeLimitSeconds;
        private Integer nodes;
        private Integer tasks;
        private Integer tasksPerNode;
        private Integer cpusPerTask;
        private Integer gpusPerTask;
        private Long memoryMb;
        private Long memoryPerCpuMb;
        private String kind;
        private String submitHost;
        private Integer maxAttempts;
        private List<String> nodelist;
        private List<String> exclude;
        private Boolean exclusive;
        private Integer nice;
        private Long priority;
        private Instant beginTime;
        private String dependency;
        private Boolean killOnInvalidDependency;
        private String hold;
        private String array;
        private String warningSignal;
        private Integer warningSeconds;
        private Boolean warningBatchOnly;
        private Boolean requeue;
        private String service;
        private List<String> mailType;
        private String mailUser;
        private Instant deadline;
        private String reservation;
        private String gpuType;
        private String partition;

        public Builder name(String v) { name = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder script(String v) { script = v; return this; }
        public Builder args(List<String> v) { args = v; return this; }
        public Builder workDir(String v) { workDir = v; return this; }
        public Builder stdout(String v) { stdout = v; return this; }
        public Builder stderr(String v) { stderr = v; return this; }
        public Builder stdin(String v) { stdin = v; return this; }
        public Builder environment(Map<String, String> v) { environment = v; return this; }
        public Builder timeLimitSeconds(Long v) { timeLimitSeconds = v; return this; }
        public Builder nodes(Integer v) { nodes = v; return this; }
        public Builder tasks(Integer v) { tasks = v; return this; }
        public Builder tasksPerNode(Integer v) { tasksPerNode = v; return this; }
        public Builder cpusPerTask(Integer v) { cpusPerTask = v; return this; }
        public Builder gpusPerTask(Integer v) { gpusPerTask = v; return this; }
        public Builder memoryMb(Long v) { memoryMb = v; return this; }
        public Builder memoryPerCpuMb(Long v) { memoryPerCpuMb = v; return this; }
        public Builder kind(String v) { kind = v; return this; }
        public Builder submitHost(String v) { submitHost = v; return this; }
        public Builder maxAttempts(Integer v) { maxAttempts = v; return this; }
        public Builder nodelist(List<String> v) { nodelist = v; return this; }
        public Builder exclude(List<String> v) { exclude = v; return this; }
        public Builder exclusive(Boolean v) { exclusive = v; return this; }
        public Builder nice(Integer v) { nice = v; return this; }
        public Builder priority(Long v) { priority = v; return this; }
        public Builder beginTime(Instant v) { beginTime = v; return this; }
        public Builder dependency(String v) { dependency = v; return this; }
        public Builder killOnInvalidDependency(Boolean v) { killOnInvalidDependency = v; return this; }
        public Builder hold(String v) { hold = v; return this; }
        public Builder array(String v) { array = v; return this; }
        public Builder warningSignal(String v) { warningSignal = v; return this; }
        public Builder warningSeconds(Integer v) { warningSeconds = v; return this; }
        public Builder warningBatchOnly(Boolean v) { warningBatchOnly = v; return this; }
        public Builder requeue(Boolean v) { requeue = v; return this; }
        public Builder service(String v) { service = v; return this; }
        public Builder mailType(List<String> v) { mailType = v; return this; }
        public Builder mailUser(String v) { mailUser = v; return this; }
        public Builder deadline(Instant v) { deadline = v; return this; }
        public Builder reservation(String v) { reservation = v; return this; }
        public Builder gpuType(String v) { gpuType = v; return this; }
        public Builder partition(String v) { partition = v; return this; }

        public JobSpec build() {
            return new JobSpec(name, user, script, args, workDir, stdout, stderr, stdin, environment,
                    timeLimitSeconds, nodes, tasks, tasksPerNode, cpusPerTask, gpusPerTask, memoryMb, memoryPerCpuMb,
                    kind, submitHost, maxAttempts, nodelist, exclude, exclusive, nice, priority, beginTime,
                    dependency, killOnInvalidDependency, hold, array, warningSignal, warningSeconds, warningBatchOnly,
                    requeue, service, mailType, mailUser, deadline, reservation, gpuType, partition);
        }
    }
}
