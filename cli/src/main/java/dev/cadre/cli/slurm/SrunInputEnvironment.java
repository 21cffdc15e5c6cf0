package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringTokenizer;

/**
 * srun's input environment variables (SLURM_TIMELIMIT, SLURM_DEPENDENCY, SLURM_NTASKS, ...): each stands for an
 * option and is read as that option, under the command line, as Slurm's srun reads them before its arguments. Read
 * as sbatch's are ({@link SbatchInputEnvironment}): a flag's variable turns it on when empty, "yes" or a number
 * other than 0; one for an option with a value does nothing when empty; of two that name one option the later in
 * Slurm's order wins (SLURM_NTASKS over SLURM_NPROCS, SRUN_EXPORT_ENV over SLURM_EXPORT_ENV). A variable for an
 * option Cadre's srun refuses is refused, naming the variable, as the option would be.
 *
 * <p>Inside a job the job's own variables ({@link #JOBS}) are what the job was given, not what this step asks:
 * srun reads the job's task and CPU counts as it did before (SrunOptions), and the rest of them do not bind the
 * step. Slurm's other input variables (SLURM_JOB_ID, SLURM_JOB_NODELIST: the job srun runs in, which Cadre reads
 * from them; SLURM_THREADS, SLURM_COMPRESS, SLURM_WAIT4SWITCH: srun's own machinery) do nothing here.
 */
public final class SrunInputEnvironment {
    /**
     * Slurm's table (src/srun/opt.c env_vars), in its order, of the variables whose option Cadre's srun takes, and
     * that option's key. SLURM_NNODES is an older srun's name for -N.
     */
    static final Map<String, String> OPTIONS = table("""
            SLURM_ACCOUNT account  SLURM_CLUSTERS clusters  SLURM_CONSTRAINT constraint
            SLURM_CPUS_PER_TASK cpus-per-task  SLURM_CPU_BIND cpu-bind  SLURM_DEPENDENCY dependency
            SLURM_DISTRIBUTION distribution  SLURM_EXACT exact  SLURM_EXCLUSIVE exclusive  SLURM_EXPORT_ENV export
            SRUN_EXPORT_ENV export  SLURM_GPU_BIND gpu-bind  SLURM_GPUS gpus  SLURM_GPUS_PER_NODE gpus-per-node
            SLURM_GPUS_PER_TASK gpus-per-task  SLURM_GRES gres  SLURM_HINT hint  SLURM_JOB_NAME job-name
            SLURM_NNODES nodes  SLURM_JOB_NUM_NODES nodes  SLURM_KILL_BAD_EXIT kill-on-bad-exit  SLURM_LABELIO label
            SLURM_MEM_PER_CPU mem-per-cpu  SLURM_MEM_PER_NODE mem  SLURM_MPI_TYPE mpi  SLURM_NPROCS ntasks
            SLURM_NTASKS ntasks  SLURM_NTASKS_PER_NODE ntasks-per-node  SLURM_OPEN_MODE open-mode
            SLURM_OVERLAP overlap  SLURM_PARTITION partition  SLURM_QOS qos  SLURM_REMOTE_CWD chdir
            SLURM_RESERVATION reservation
            SLURM_SIGNAL signal  SLURM_SRUN_MULTI multi-prog  SLURM_STDERRMODE error  SLURM_STDINMODE input
            SLURM_STDOUTMODE output  SLURM_THREADS_PER_CORE threads-per-core  SLURM_TIMELIMIT time
            SLURM_UNBUFFEREDIO unbuffered  SLURM_WAIT wait  SLURM_WCKEY wckey  SLURM_WORKING_DIR chdir
            """);

    /** Slurm's variables for options Cadre's srun refuses ({@link SrunRefusedOptions}), and those options' keys. */
    static final Map<String, String> REFUSED = table("""
            SLURM_ACCTG_FREQ acctg-freq  SLURM_BCAST bcast  SLURM_BURST_BUFFER bb
            SLURM_CLUSTER_CONSTRAINT cluster-constraint  SLURM_CORE_SPEC core-spec  SLURM_CPU_FREQ_REQ cpu-freq
            SLURM_CPUS_PER_GPU cpus-per-gpu  SLURM_DELAY_BOOT delay-boot  SLURM_DISABLE_STATUS disable-status
            SLURM_EPILOG epilog  SLURM_GPU_FREQ gpu-freq
            SLURM_GPUS_PER_SOCKET gpus-per-socket  SLURM_GRES_FLAGS gres-flags  SLURM_MEM_BIND mem-bind
            SLURM_MEM_PER_GPU mem-per-gpu  SLURM_NCORES_PER_SOCKET cores-per-socket  SLURM_NETWORK network
            SLURM_NO_KILL no-kill  SLURM_NSOCKETS_PER_NODE sockets-per-node  SLURM_NTASKS_PER_GPU ntasks-per-gpu
            SLURM_NTASKS_PER_TRES ntasks-per-tres  SLURM_OVERCOMMIT overcommit  SLURM_POWER power
            SLURM_PROFILE profile  SLURM_PROLOG prolog  SLURM_REQ_SWITCH switches
            SLURM_RESV_PORTS resv-ports  SLURM_SPREAD_JOB spread-job  SLURM_TASK_EPILOG task-epilog
            SLURM_TASK_PROLOG task-prolog  SLURM_THREAD_SPEC thread-spec  SLURM_USE_MIN_NODES use-min-nodes
            SLURMD_DEBUG slurmd-debug
            """);

    /**
     * What a job is told of itself (node-runner's LaunchPlanner, sbatch's SLURM_EXPORT_ENV): inside a job these say
     * what the job holds, not what a step asks for.
     */
    static final Set<String> JOBS = Set.of("SLURM_NPROCS", "SLURM_NTASKS", "SLURM_CPUS_PER_TASK", "SLURM_NNODES",
            "SLURM_JOB_NUM_NODES", "SLURM_NTASKS_PER_NODE", "SLURM_MEM_PER_CPU", "SLURM_MEM_PER_NODE",
            "SLURM_GPUS_PER_TASK", "SLURM_JOB_NAME", "SLURM_EXPORT_ENV");

    /** srun's exit code for its own errors, where Slurm's srun reads it (srun.c _set_exit_code). */
    static final String EXIT_ERROR = "SLURM_EXIT_ERROR";

    /**
     * The options the environment sets, and which variable set each.
     *
     * @param uses in the order they apply, before the command line's
     * @param variables each option's key and the variable that set it last
     */
    record Read(List<Getopt.Use> uses, Map<String, String> variables) {
    }

    private SrunInputEnvironment() {
    }

    private static Map<String, String> table(String text) {
        Map<String, String> options = new LinkedHashMap<>();
        StringTokenizer pairs = new StringTokenizer(text);
        while (pairs.hasMoreTokens()) {
            options.put(pairs.nextToken(), pairs.nextToken());
        }
        return options;
    }

    /**
     * @param options srun's options, to know which take a value
     * @param inJob whether srun runs inside a job, whose own variables ({@link #JOBS}) are then left alone
     * @throws SlurmUsageException for a variable whose option Cadre refuses
     */
    static Read read(Map<String, String> env, List<Getopt.Option> options, boolean inJob)
            throws SlurmUsageException {
        Map<String, Getopt.Arity> arity = new HashMap<>();
        for (Getopt.Option o : options) {
            arity.put(o.key(), o.arity());
        }
        for (Map.Entry<String, String> e : REFUSED.entrySet()) {
            String value = env.get(e.getKey());
            if (value != null && value(value, arity.getOrDefault(e.getValue(), Getopt.Arity.REQUIRED)) != null) {
                throw new SlurmUsageException("srun: error: " + e.getKey() + " is set: --" + e.getValue()
                        + " is not supported by this Cadre version; unset it to run srun here");
            }
        }
        List<Getopt.Use> uses = new ArrayList<>();
        Map<String, String> variables = new HashMap<>();
        for (Map.Entry<String, String> e : OPTIONS.entrySet()) {
            String value = env.get(e.getKey());
            if (value == null || (inJob && JOBS.contains(e.getKey()))) {
                continue;
            }
            String key = e.getValue();
            String given = value(value, arity.get(key));
            if (given != null) {
                uses.add(new Getopt.Use(key, given.isEmpty() && arity.get(key) != Getopt.Arity.REQUIRED ? null
                        : given));
                variables.put(key, e.getKey());
            }
        }
        return new Read(uses, variables);
    }

    /**
     * What a variable gives its option: "" for a flag it turns on or an optional value left out, the value for one
     * that takes it, null when it sets nothing (an empty value, a flag's "no" or 0).
     */
    private static String value(String value, Getopt.Arity arity) {
        return switch (arity) {
            case NONE -> SbatchInputEnvironment.turnsOn(value) ? "" : null;
            case OPTIONAL -> value;
            case REQUIRED -> value.isEmpty() ? null : value;
        };
    }

    /**
     * The code srun exits with for an error of its own: SLURM_EXIT_ERROR's, read with atoi() as Slurm reads it, else
     * 1, also when it reads as 0.
     */
    public static int errorExit(Map<String, String> env) {
        String value = env.get(EXIT_ERROR);
        int code = value == null ? 0 : SlurmNumbers.leadingInt(value);
        return code == 0 ? 1 : code;
    }

    /** What srun says of a SLURM_EXIT_ERROR it cannot use, as Slurm's srun does, or null. */
    public static String errorExitNote(Map<String, String> env) {
        String value = env.get(EXIT_ERROR);
        return value != null && SlurmNumbers.leadingInt(value) == 0 ? "srun: error: " + EXIT_ERROR
                + " has zero value" : null;
    }
}
