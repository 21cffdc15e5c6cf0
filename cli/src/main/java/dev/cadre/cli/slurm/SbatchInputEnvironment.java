package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringTokenizer;

/**
 * sbatch's input environment variables (SBATCH_TIMELIMIT, SBATCH_PARTITION, ...): each stands for an option, and
 * takes effect over the script's #SBATCH lines and under the command line, as in Slurm. Sites and users set them in
 * profiles so that every submission gets a default ("export SBATCH_TIMELIMIT=1:00:00").
 *
 * <p>A variable for an option that takes no value (SBATCH_REQUEUE, SBATCH_WAIT) turns it on when it is empty,
 * "yes" or a number other than 0, as Slurm reads them; any other value leaves it off. One for an option with a
 * value does nothing when empty. Where two name one option (SLURM_HINT and SBATCH_HINT), the later in Slurm's
 * order wins, as does SBATCH_REQUEUE over SBATCH_NO_REQUEUE. A variable for an option Cadre refuses is refused,
 * naming the variable, as the option would be.
 */
final class SbatchInputEnvironment {
    /** Slurm's table (src/sbatch/opt.c env_vars), in its order, of the variables that stand for an option alone. */
    static final Map<String, String> SBATCH = table("""
                SBATCH_ACCOUNT account  SBATCH_ACCTG_FREQ acctg-freq  SBATCH_ARRAY_INX array  SBATCH_BATCH batch
                SBATCH_CLUSTER_CONSTRAINT cluster-constraint  SBATCH_CLUSTERS clusters  SLURM_CLUSTERS clusters
                SBATCH_CONSTRAINT constraint  SBATCH_CONTAINER container  SBATCH_CONTAINER_ID container-id
                SBATCH_CORE_SPEC core-spec  SBATCH_CPU_FREQ_REQ cpu-freq  SBATCH_CPUS_PER_GPU cpus-per-gpu
                SBATCH_DEBUG verbose  SBATCH_DELAY_BOOT delay-boot  SBATCH_DISTRIBUTION distribution
                SBATCH_ERROR error  SBATCH_EXCLUSIVE exclusive  SBATCH_EXPORT export
                SBATCH_GET_USER_ENV get-user-env  SBATCH_GRES gres  SBATCH_GRES_FLAGS gres-flags  SBATCH_GPUS gpus
                SBATCH_GPU_BIND gpu-bind  SBATCH_GPU_FREQ gpu-freq  SBATCH_GPUS_PER_NODE gpus-per-node
                SBATCH_GPUS_PER_SOCKET gpus-per-socket  SBATCH_GPUS_PER_TASK gpus-per-task  SLURM_HINT hint
                SBATCH_HINT hint  SBATCH_IGNORE_PBS ignore-pbs  SBATCH_INPUT input  SBATCH_JOB_NAME job-name
                SBATCH_MEM_BIND mem-bind  SBATCH_MEM_PER_CPU mem-per-cpu  SBATCH_MEM_PER_GPU mem-per-gpu
                SBATCH_MEM_PER_NODE mem  SBATCH_NETWORK network  SBATCH_NO_KILL no-kill  SBATCH_NO_REQUEUE no-requeue
                SBATCH_OPEN_MODE open-mode  SBATCH_OUTPUT output  SBATCH_OVERCOMMIT overcommit
                SBATCH_PARTITION partition  SBATCH_POWER power  SBATCH_PROFILE profile  SBATCH_QOS qos
                SBATCH_REQ_SWITCH switches  SBATCH_REQUEUE requeue  SBATCH_RESERVATION reservation
                SBATCH_SIGNAL signal  SBATCH_SPREAD_JOB spread-job  SBATCH_THREAD_SPEC thread-spec
                SBATCH_THREADS_PER_CORE threads-per-core  SBATCH_TIMELIMIT time  SBATCH_TRES_BIND tres-bind
                SBATCH_TRES_PER_TASK tres-per-task  SBATCH_USE_MIN_NODES use-min-nodes  SBATCH_WAIT wait
                SBATCH_WAIT_ALL_NODES wait-all-nodes  SBATCH_WCKEY wckey
                """);

    /**
     * salloc's (src/salloc/opt.c env_vars), in its order, for the options salloc shares with sbatch. Its others are
     * salloc's own: SALLOC_IMMEDIATE is salloc's to read (SallocCommandLine), SALLOC_KILL_CMD is refused as its
     * option is; SALLOC_BELL and
     * SALLOC_NO_BELL (a terminal bell Cadre never rings) and SALLOC_WAIT4SWITCH (the wait of --switches, which is
     * ignored) are ignored.
     */
    static final Map<String, String> SALLOC = table("""
                SALLOC_ACCOUNT account  SALLOC_ACCTG_FREQ acctg-freq  SALLOC_BURST_BUFFER bb
                SALLOC_CLUSTER_CONSTRAINT cluster-constraint  SALLOC_CLUSTERS clusters  SLURM_CLUSTERS clusters
                SALLOC_CONTAINER container  SALLOC_CONSTRAINT constraint  SALLOC_CORE_SPEC core-spec
                SALLOC_CPU_FREQ_REQ cpu-freq  SALLOC_CPUS_PER_GPU cpus-per-gpu  SALLOC_DEBUG verbose
                SALLOC_DELAY_BOOT delay-boot  SALLOC_EXCLUSIVE exclusive  SALLOC_GPUS gpus  SALLOC_GPU_BIND gpu-bind
                SALLOC_GPU_FREQ gpu-freq  SALLOC_GPUS_PER_NODE gpus-per-node  SALLOC_GPUS_PER_SOCKET gpus-per-socket
                SALLOC_GPUS_PER_TASK gpus-per-task  SALLOC_GRES gres  SALLOC_GRES_FLAGS gres-flags
                SALLOC_HINT hint  SLURM_HINT hint  SALLOC_MEM_BIND mem-bind
                SALLOC_MEM_PER_CPU mem-per-cpu  SALLOC_MEM_PER_GPU mem-per-gpu  SALLOC_MEM_PER_NODE mem
                SALLOC_NETWORK network  SALLOC_NO_KILL no-kill  SALLOC_OVERCOMMIT overcommit
                SALLOC_PARTITION partition  SALLOC_POWER power  SALLOC_PROFILE profile  SALLOC_QOS qos
                SALLOC_REQ_SWITCH switches  SALLOC_RESERVATION reservation  SALLOC_SIGNAL signal
                SALLOC_SPREAD_JOB spread-job  SALLOC_THREAD_SPEC thread-spec  SALLOC_THREADS_PER_CORE threads-per-core
                SALLOC_TIMELIMIT time  SALLOC_USE_MIN_NODES use-min-nodes  SALLOC_WAIT_ALL_NODES wait-all-nodes
                SALLOC_WCKEY wckey
                """);

    /** salloc's variables for options of its own that Cadre's salloc lacks, and what they would ask. */
    private static final Map<String, String> SALLOC_REFUSED = Map.of("SALLOC_KILL_CMD", "--kill-command");

    private SbatchInputEnvironment() {
    }

    /** Each variable and its option's long name. A tokenizer, not a regex split: sbatch loads few classes. */
    private static Map<String, String> table(String text) {
        Map<String, String> options = new LinkedHashMap<>();
        StringTokenizer pairs = new StringTokenizer(text);
        while (pairs.hasMoreTokens()) {
            String variable = pairs.nextToken();
            String option = pairs.nextToken();
            if (SbatchOption.byLongName(option) == null) {
                throw new IllegalStateException(variable + " names no sbatch option --" + option);
            }
            options.put(variable, option);
        }
        return options;
    }

    /**
     * The options the submitter's environment sets, in the order they apply.
     *
     * @param table {@link #SBATCH}, {@link #SALLOC}, or an empty map for none
     */
    static List<SbatchArgv.Use> options(Map<String, String> env, Map<String, String> table)
            throws SlurmUsageException {
        List<SbatchArgv.Use> uses = new ArrayList<>();
        if (table == SALLOC) {
            for (Map.Entry<String, String> e : SALLOC_REFUSED.entrySet()) {
                if (env.containsKey(e.getKey())) {
                    throw new SlurmUsageException(e.getKey() + " is set: salloc's " + e.getValue()
                            + " is not supported by this Cadre version; unset it to allocate here");
                }
            }
        }
        for (Map.Entry<String, String> e : table.entrySet()) {
            String value = env.get(e.getKey());
            if (value == null) {
                continue;
            }
            SbatchOption option = SbatchOption.byLongName(e.getValue());
            if (option.handling() == SbatchOption.Handling.REFUSED) {
                throw new SlurmUsageException(e.getKey() + " is set: " + option.spelled()
                        + " is not supported by this Cadre version; unset it to submit here");
            }
            switch (option.arity()) {
                case NONE -> {
                    if (turnsOn(value)) {
                        uses.add(new SbatchArgv.Use(option, null));
                    }
                }
                case OPTIONAL -> uses.add(new SbatchArgv.Use(option, value.isEmpty() ? null : value));
                case REQUIRED -> {
                    if (!value.isEmpty()) {
                        uses.add(new SbatchArgv.Use(option, value));
                    }
                }
            }
        }
        return uses;
    }

    /** Slurm's reading of a flag's variable: set empty, "yes" in any case, or a number (its leading digits) not 0. */
    static boolean turnsOn(String value) {
        if (value.isEmpty() || value.equalsIgnoreCase("yes")) {
            return true;
        }
        // strtol's reading: blanks, a sign, then digits; a loop, not a stream, as each lambda is a class to load.
        int i = 0;
        while (i < value.length() && Character.isWhitespace(value.charAt(i))) {
            i++;
        }
        if (i < value.length() && (value.charAt(i) == '-' || value.charAt(i) == '+')) {
            i++;
        }
        for (; i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9'; i++) {
            if (value.charAt(i) != '0') {
                return true;
            }
        }
        return false;
    }
}
