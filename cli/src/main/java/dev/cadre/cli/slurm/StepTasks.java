package dev.cadre.cli.slurm;

import dev.cadre.node.core.LaunchPlanner;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.OutputPattern;
import dev.cadre.protocol.ShellWord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one task of an srun step is given: srun's environment (as --export passes it) with the step's and the
 * task's SLURM_* variables, and the bash command line that sets them and runs the task on its node.
 */
public final class StepTasks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Variables of srun's own process or node that must not follow a task to another node. */
    private static final Set<String> LOCAL = Set.of("CADRE_EXEC_SOCKET", "HOSTNAME", "PWD", "OLDPWD", "SHLVL", "_",
            "SLURMD_NODENAME", "SLURM_TOPOLOGY_ADDR", "SLURM_TASK_PID", "SLURM_CPUS_ON_NODE", "SLURM_CPU_BIND",
            "SLURM_CPU_BIND_TYPE", "SLURM_CPU_BIND_LIST", "SLURM_CPU_BIND_VERBOSE");
    /**
     * What the task's node tells it of its GPUs there (gres/gpu's variables, its share with --gpu-bind), as Slurm's
     * slurmstepd sets them over srun's: left out of the task's line when srun's job has GPUs, which its nodes then
     * set or unset for each task; srun's own values are its node's, or its own task's.
     */
    private static final Set<String> GPUS = Set.of("CUDA_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "ZE_AFFINITY_MASK",
            "GPU_DEVICE_ORDINAL", "SLURM_STEP_GPUS", "SLURM_GPUS_ON_NODE");

    private StepTasks() {
    }

    /**
     * @param srunEnv srun's environment inside the job
     * @param stepId the step's number in the job (SLURM_STEP_ID)
     * @param cpusOnNode the CPUs the job holds on the task's node
     */
    public static Map<String, String> environment(Map<String, String> srunEnv, SrunOptions o, StepLayout step,
            StepLayout.Task t, int stepId, int cpusOnNode) {
        Map<String, String> env = new LinkedHashMap<>();
        boolean nodeSaysGpus = srunEnv.containsKey("SLURM_JOB_GPUS") || srunEnv.containsKey("SLURM_STEP_GPUS");
        for (Map.Entry<String, String> e : exported(srunEnv, o.export()).entrySet()) {
            if (!LOCAL.contains(e.getKey()) && !(nodeSaysGpus && GPUS.contains(e.getKey()))
                    && JobSpecValidator.isEnvironmentName(e.getKey())) {
                env.put(e.getKey(), e.getValue());
            }
        }
        String tasks = Integer.toString(step.tasks().size());
        String nodes = Integer.toString(step.hosts().size());
        String nodelist = HostList.compress(step.hosts());
        String perNode = LaunchPlanner.repeats(step.tasksPerNode());
        env.put("SLURM_STEP_ID", Integer.toString(stepId));
        env.put("SLURM_STEPID", Integer.toString(stepId));
        env.put("SLURM_STEP_NUM_TASKS", tasks);
        env.put("SLURM_STEP_NUM_NODES", nodes);
        env.put("SLURM_STEP_NODELIST", nodelist);
        env.put("SLURM_STEP_TASKS_PER_NODE", perNode);
        env.put("SLURM_NTASKS", tasks);
        env.put("SLURM_NPROCS", tasks);
        env.put("SLURM_NNODES", nodes);
        env.put("SLURM_NODELIST", nodelist);
        env.put("SLURM_TASKS_PER_NODE", perNode);
        env.put("SLURM_DISTRIBUTION", o.cyclic() ? "cyclic" : "block");
        if (o.cpusPerTask() != null) {
            env.put("SLURM_CPUS_PER_TASK", Integer.toString(o.cpusPerTask()));
        }
        env.put("SLURM_PROCID", Integer.toString(t.procId()));
        env.put("SLURM_LOCALID", Integer.toString(t.localId()));
        env.put("SLURM_NODEID", Integer.toString(t.nodeId()));
        env.put("SLURM_GTIDS", step.globalIdsOn(t.nodeId()));
        env.put("SLURMD_NODENAME", t.host());
        env.put("SLURM_TOPOLOGY_ADDR", t.host());
        env.put("SLURM_CPUS_ON_NODE", Integer.toString(cpusOnNode));
        return env;
    }

    /** srun --export: ALL (the default), NONE (SLURM_* only), or names and NAME=value pairs besides SLURM_*. */
    static Map<String, String> exported(Map<String, String> env, String export) {
        if (export == null || export.equalsIgnoreCase("ALL")) {
            return env;
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean all = false;
        Map<String, String> given = new LinkedHashMap<>();
        for (String item : export.split(",")) {
            String upper = item.toUpperCase(Locale.ROOT);
            int eq = item.indexOf('=');
            if (upper.equals("ALL")) {
                all = true;
            } else if (eq > 0) {
                given.put(item.substring(0, eq), item.substring(eq + 1));
            } else if (!upper.equals("NONE") && env.containsKey(item)) {
                given.put(item, env.get(item));
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (all || e.getKey().startsWith("SLURM_") || e.getKey().startsWith("CADRE_")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        out.putAll(given);
        return out;
    }

    /** Whether bash's export can set the variable: a shell identifier. */
    public static boolean isShellName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * The line bash runs for the task on its node: into srun's directory, the variables exported, then the command
     * in place of the shell (its pid is SLURM_TASK_PID), its input read from -i's file and its output appended to
     * -o/-e's files when given (paths relative to srun's directory, as the shell is in it then).
     * Variables bash cannot export (an exported function's {@code BASH_FUNC_module%%}, {@code A-B}) are set by
     * env(1), which the shell execs and which execs the command in the same process; unless the command's first
     * word has an '=', which env would take for one more variable: those variables are then left out.
     *
     * @param stdin the file the task reads, or null for the relay's /dev/null
     */
    public static String commandLine(Map<String, String> env, String dir, List<String> command, String stdin,
            String stdout, String stderr) {
        StringBuilder exported = new StringBuilder();
        StringBuilder others = new StringBuilder();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (isShellName(e.getKey())) {
                exported.append(' ').append(e.getKey()).append('=').append(ShellWord.quote(e.getValue()));
            } else {
                others.append(' ').append(ShellWord.quote(e.getKey() + "=" + e.getValue()));
            }
        }
        StringBuilder b = new StringBuilder("cd ").append(ShellWord.quote(dir)).append(" || exit 1;");
        if (exported.length() > 0) {
            // A bare "export" would list the shell's variables on the task's output.
            b.append(" export").append(exported).append(';');
        }
        b.append(" export SLURM_TASK_PID=$$; exec");
        if (others.length() > 0 && (command.isEmpty() || command.get(0).indexOf('=') < 0)) {
            b.append(" env --").append(others);
        }
        for (String word : command) {
            b.append(' ').append(ShellWord.quote(word));
        }
        if (stdin != null) {
            b.append(" <").append(ShellWord.quote(stdin));
        }
        // Appended to: srun empties each file once before any task starts, so tasks that share one all keep
        // their lines.
        if (stdout != null) {
            b.append(" >>").append(ShellWord.quote(stdout));
            b.append(stderr == null ? " 2>&1" : " 2>>" + ShellWord.quote(stderr));
        } else if (stderr != null) {
            b.append(" 2>>").append(ShellWord.quote(stderr));
        }
        return b.toString();
    }

    /**
     * srun's -o/-e patterns: %t the task, %n its node's index, %s the step, %J the job and the step, each with an
     * optional zero-padding width (%3t); %j %A %a %u %x %N (the task's host) and %% as sbatch takes them
     * ({@link OutputPattern}).
     *
     * @param arrayTask the array and task the job is, else null
     */
    public static String fileName(String pattern, StepLayout.Task t, long jobId, ArrayPart arrayTask, int stepId,
            String user, String jobName) {
        return OutputPattern.expand(pattern, jobId, arrayTask, jobName, user, t.host(), (letter, width) ->
                switch (letter) {
                    case 't' -> OutputPattern.pad(Long.toString(t.procId()), width);
                    case 'n' -> OutputPattern.pad(Long.toString(t.nodeId()), width);
                    case 's' -> OutputPattern.pad(Integer.toString(stepId), width);
                    case 'J' -> OutputPattern.pad(Long.toString(jobId), width) + "." + stepId;
                    default -> null;
                });
    }
}
