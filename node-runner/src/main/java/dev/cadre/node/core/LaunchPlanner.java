package dev.cadre.node.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.ArraySpec;
import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.OutputPattern;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds launch plans: the job's environment with Slurm's variables, and its resolved stream paths. */
public final class LaunchPlanner {
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private LaunchPlanner() {
    }

    /** @param clusterName shown to jobs as SLURM_CLUSTER_NAME */
    public static LaunchPlan plan(NodeCommand.PlaceJob place, String clusterName) {
        return plan(place, clusterName, null);
    }

    /**
     * @param remoteExec where this node keeps the attempt's hostfile and Cadre's rsh agent, so that mpirun
     *        (Open MPI or MPICH's hydra) reaches the other nodes through Cadre instead of ssh; null leaves the
     *        job to its own launcher
     */
    public static LaunchPlan plan(NodeCommand.PlaceJob place, String clusterName, RemoteExecSetup remoteExec) {
        return plan(place, clusterName, remoteExec, LoginAccount.PASSWD);
    }

    /** @param accounts where a job without the submitter's environment finds its user's HOME, SHELL and names */
    public static LaunchPlan plan(NodeCommand.PlaceJob place, String clusterName, RemoteExecSetup remoteExec,
            LoginAccount.Lookup accounts) {
        JobSpec spec = place.spec();
        long id = place.jobId();
        Allocation a = place.allocation();
        String name = spec.name() == null ? "" : spec.name();
        String firstNode = a.coordinator().hostname();
        Path workDir = Path.of(spec.workDir());
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        env.putIfAbsent("PATH", DEFAULT_PATH);
        if (!exportsAll(spec.environment().get("SLURM_EXPORT_ENV"))) {
            accounts.find(spec.user()).ifPresent(account -> account.variables().forEach(env::putIfAbsent));
        }
        putSlurmVariables(env, place, clusterName);
        ArrayPart task = arrayTask(place);
        if (task != null) {
            putArrayVariables(env, task, spec.array());
        }
        env.put("CADRE_JOB_ID", Long.toString(id));
        env.put("CADRE_ATTEMPT", Integer.toString(place.attempt()));
        if (remoteExec != null) {
            env.put("CADRE_HOSTFILE", remoteExec.hostfile().toString());
            // Open MPI sees SLURM_JOB_ID and would start its daemons with srun; Cadre's agent starts them instead.
            env.put("OMPI_MCA_plm", "rsh");
            env.put("OMPI_MCA_plm_rsh_agent", remoteExec.openMpiAgent());
            env.put("PATH", remoteExec.searchPath(env.get("PATH")));
            env.put("HYDRA_LAUNCHER", "rsh");
            env.put("HYDRA_LAUNCHER_EXEC", remoteExec.rshAgent().toString());
            if (remoteExec.relaySocket() != null) {
                env.putAll(ExecAccess.environment(id, place.attempt(), place.execToken(), a,
                        remoteExec.relaySocket()));
            }
        }
        if (spec.timeLimitSeconds() != null) {
            env.put("SBATCH_TIMELIMIT", Long.toString(TimeLimit.minutes(spec.timeLimitSeconds())));
        }
        OutputPaths outputs = outputPaths(place);
        Path stdin = spec.stdin() == null ? null
                : resolve(workDir, OutputPattern.expand(spec.stdin(), id, task, name, spec.user(), firstNode));
        // A requeued attempt appends, as Slurm does, so the earlier attempt's output is kept; sbatch
        // --open-mode=append (SLURM_OPEN_MODE=a, as sbatch passes it) appends from the first.
        boolean append = place.attempt() > 1 || "a".equals(spec.environment().get("SLURM_OPEN_MODE"));
        return new LaunchPlan(place, workDir, env, outputs.stdout(), outputs.stderr(), stdin, append,
                launcher(place, remoteExec));
    }

    /**
     * Where the attempt's stdout and stderr go, the patterns expanded and resolved against its working directory.
     * Both naming the same file is stderr into stdout: opened twice, each with its own offset and both truncating,
     * the two streams would write over each other.
     */
    public static OutputPaths outputPaths(NodeCommand.PlaceJob place) {
        JobSpec spec = place.spec();
        long id = place.jobId();
        String name = spec.name() == null ? "" : spec.name();
        String firstNode = place.allocation().coordinator().hostname();
        Path workDir = Path.of(spec.workDir());
        ArrayPart task = arrayTask(place);
        String out = spec.stdout() != null ? spec.stdout() : task != null ? "slurm-%A_%a.out" : "slurm-%j.out";
        Path stdout = resolve(workDir, OutputPattern.expand(out, id, task, name, spec.user(), firstNode));
        Path stderr = spec.stderr() == null ? null
                : resolve(workDir, OutputPattern.expand(spec.stderr(), id, task, name, spec.user(), firstNode));
        return new OutputPaths(stdout, stdout.equals(stderr) ? null : stderr);
    }

    /**
     * The variables Slurm gives a batch job. The batch script is task 0 of the job's batch step, on the first
     * node; the counts are the allocation's, which is what the job got (without -N the placement chose the node
     * count).
     */
    private static void putSlurmVariables(Map<String, String> env, NodeCommand.PlaceJob place, String clusterName) {
        JobSpec spec = place.spec();
        Allocation a = place.allocation();
        String id = Long.toString(place.jobId());
        String firstNode = a.coordinator().hostname();
        env.put("SLURM_JOB_ID", id);
        env.put("SLURM_JOBID", id);
        env.put("SLURM_JOB_NAME", spec.name() == null ? "" : spec.name());
        env.put("SLURM_JOB_USER", spec.user());
        env.put("SLURM_SUBMIT_DIR", spec.environment().getOrDefault("SLURM_SUBMIT_DIR",
                spec.environment().getOrDefault("PWD", spec.workDir())));
        env.put("SLURM_SUBMIT_HOST", spec.submitHost() == null ? "" : spec.submitHost());
        String tasks = Integer.toString(a.nodes().stream().mapToInt(Allocation.NodeSlots::tasks).sum());
        env.put("SLURM_NTASKS", tasks);
        env.put("SLURM_NPROCS", tasks);
        env.put("SLURM_NNODES", Integer.toString(a.nodes().size()));
        env.put("SLURM_JOB_NUM_NODES", Integer.toString(a.nodes().size()));
        String nodelist = HostList.compress(a.nodes().stream().map(Allocation.NodeSlots::hostname).toList());
        env.put("SLURM_JOB_NODELIST", nodelist);
        env.put("SLURM_NODELIST", nodelist);
        env.put("SLURM_TASKS_PER_NODE", repeats(a.nodes().stream().map(Allocation.NodeSlots::tasks).toList()));
        env.put("SLURM_JOB_CPUS_PER_NODE", repeats(a.nodes().stream().map(Allocation.NodeSlots::cpus).toList()));
        env.put("SLURM_CPUS_ON_NODE", Integer.toString(a.coordinator().cpus()));
        if (spec.cpusPerTask() != null) {
            env.put("SLURM_CPUS_PER_TASK", Integer.toString(spec.cpusPerTask()));
        }
        if (spec.tasksPerNode() != null) {
            env.put("SLURM_NTASKS_PER_NODE", Integer.toString(spec.tasksPerNode()));
        }
        // sbatch --mem-per-cpu passes SLURM_MEM_PER_CPU, and Slurm then sets no per-node figure.
        if (spec.memoryMb() != null && !spec.environment().containsKey("SLURM_MEM_PER_CPU")) {
            env.put("SLURM_MEM_PER_NODE", Long.toString(spec.memoryMb()));
        }
        if (spec.gpusPerTask() != null && spec.gpusPerTask() > 0) {
            env.put("SLURM_GPUS_PER_TASK", Integer.toString(spec.gpusPerTask()));
        }
        if (spec.dependency() != null) {
            env.put("SLURM_JOB_DEPENDENCY", spec.dependency());
        }
        env.put("SLURM_CLUSTER_NAME", clusterName);
        // The partition it started in (the scheduler names it); a job from before partitions is in batch.
        env.put("SLURM_JOB_PARTITION", spec.partition() == null ? "batch" : spec.partition());
        env.put("SLURM_RESTART_COUNT", Integer.toString(place.attempt() - 1));
        env.put("SLURMD_NODENAME", firstNode);
        env.put("SLURM_TOPOLOGY_ADDR", firstNode);
        env.put("SLURM_TOPOLOGY_ADDR_PATTERN", "node");
        // The batch script is the one task of the batch step on the first node.
        env.put("SLURM_NODEID", "0");
        env.put("SLURM_PROCID", "0");
        env.put("SLURM_LOCALID", "0");
        env.put("SLURM_GTIDS", "0");
        env.put("ENVIRONMENT", "BATCH");
        env.put("HOSTNAME", firstNode);
    }

    /**
     * Whether the job has the submitter's whole environment: sbatch --export without ALL (NONE, or a list of
     * names) passes SLURM_EXPORT_ENV, and such a job gets its user's login variables here, as Slurm gives it.
     */
    static boolean exportsAll(String export) {
        if (export == null) {
            return true;
        }
        for (String item : export.split(",")) {
            if (item.equalsIgnoreCase("ALL")) {
                return true;
            }
        }
        return false;
    }

    /** The place-job's array part when it starts one task of an array, else null. */
    private static ArrayPart arrayTask(NodeCommand.PlaceJob place) {
        ArrayPart part = place.array();
        return part == null || part.taskId() == null || place.spec().array() == null ? null : part;
    }

    /**
     * Slurm's array variables. SLURM_JOB_ID stays the task's own id, as in Slurm, so that commands given it
     * reach this task alone; the count, bounds and step describe the whole --array as submitted.
     */
    private static void putArrayVariables(Map<String, String> env, ArrayPart task, String array) {
        ArrayIndexes ids = ArraySpec.parse(array).indexes();
        env.put("SLURM_ARRAY_JOB_ID", Long.toString(task.arrayJobId()));
        env.put("SLURM_ARRAY_TASK_ID", Integer.toString(task.taskId()));
        env.put("SLURM_ARRAY_TASK_COUNT", Integer.toString(ids.count()));
        env.put("SLURM_ARRAY_TASK_MIN", Integer.toString(ids.min()));
        env.put("SLURM_ARRAY_TASK_MAX", Integer.toString(ids.max()));
        env.put("SLURM_ARRAY_TASK_STEP", Integer.toString(step(array)));
    }

    /**
     * Slurm's SLURM_ARRAY_TASK_STEP: the step of an --array given as one stepped range ("0-20:4%2"), else 1, also
     * for lists whose ids happen to be evenly spaced ("1,3,5").
     */
    static int step(String array) {
        int percent = array.indexOf('%');
        String ids = percent < 0 ? array : array.substring(0, percent);
        int colon = ids.indexOf(':');
        return colon < 0 || ids.contains(",") ? 1 : Integer.parseInt(ids.substring(colon + 1));
    }

    /** @throws IllegalArgumentException for an MPI job on a node that cannot launch one, naming what is missing */
    private static List<String> launcher(NodeCommand.PlaceJob place, RemoteExecSetup remoteExec) {
        if (!JobSpec.KIND_MPI.equals(place.spec().kindOrExec())) {
            return List.of();
        }
        String node = place.allocation().coordinator().hostname();
        if (remoteExec == null || remoteExec.relaySocket() == null) {
            throw new IllegalArgumentException("an MPI job needs remote exec, which node " + node + " does not"
                    + " offer (no cadre-rsh beside its launcher, or no exec account in its node file)");
        }
        if (remoteExec.mpi() == null) {
            throw new IllegalArgumentException("an MPI job needs an MPI installation, and node " + node
                    + " has none (looked for Open MPI's mpirun and MPICH's mpiexec.hydra)");
        }
        return remoteExec.mpi().command(place.allocation(), remoteExec);
    }

    private static Path resolve(Path workDir, String path) {
        return workDir.resolve(path).normalize();
    }

    /** Slurm's compressed form of per-node counts: "2(x3),1" for three nodes of 2 tasks then one of 1. */
    public static String repeats(List<Integer> counts) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < counts.size()) {
            int count = counts.get(i);
            int run = 1;
            while (i + run < counts.size() && counts.get(i + run) == count) {
                run++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(count);
            if (run > 1) {
                b.append("(x").append(run).append(')');
            }
            i += run;
        }
        return b.toString();
    }
}
