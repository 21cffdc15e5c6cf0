package dev.cadre.cli.slurm;

import dev.cadre.node.core.TerminalSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each task of an srun --pty step runs, as Slurm's srun man page has it ("Execute task zero in pseudo terminal
 * mode ... --error and --output to /dev/null for all tasks except task zero"): task 0 at a pseudo-terminal of its own
 * ({@link PseudoTerminal}), the others as any srun task, with the same per-task variables, their output and errors
 * thrown away and their input /dev/null (the relay's, for a task given no input), so that a shell among them ends at
 * once, as it does under Slurm. -o, -e and -i are refused with --pty, as Slurm refuses them; -l labels task 0's
 * output, and -u changes nothing, as --pty implies it.
 */
public final class PtyTasks {
    /** Where the other tasks' output and errors go. */
    static final String DISCARDED = "/dev/null";

    private PtyTasks() {
    }

    /**
     * Refuses --pty with -o, -e or -i, from the command line or from SLURM_STDOUTMODE, SLURM_STDERRMODE or
     * SLURM_STDINMODE, as Slurm's srun does whichever way they came (opt.c's _opt_verify, exit 1): task 0's
     * output and input are the terminal's, and the other tasks' /dev/null.
     */
    static void checkStreams(Getopt.Parsed p) throws SlurmUsageException {
        if (p.has("pty") && (p.has("output") || p.has("error") || p.has("input"))) {
            throw new SlurmUsageException("srun: error: --error/--input/--output are incompatible with --pty");
        }
    }

    /**
     * Whether srun --pty outside a job may start more than one task: -n, -N or --ntasks-per-node above 1. Such a
     * step is started by an srun run inside the job it submits, as any step is; a single task runs at the terminal
     * directly.
     */
    public static boolean manyTasks(SrunOptions o) {
        return above1(o.tasks()) || above1(o.nodes()) || above1(o.tasksPerNode());
    }

    private static boolean above1(Integer count) {
        return count != null && count > 1;
    }

    /**
     * Each task's bash command line on its node, by task id.
     *
     * @param srunEnv srun's environment inside the job
     * @param stepId the step's number in the job
     * @param dir where the tasks start
     * @param size srun's terminal size, which task 0's pseudo-terminal starts with; null when srun has no terminal
     */
    public static List<String> commandLines(Map<String, String> srunEnv, SrunOptions o, StepLayout.Allocation job,
            StepLayout step, int stepId, String dir, TerminalSize size) {
        List<String> lines = new ArrayList<>();
        for (StepLayout.Task t : step.tasks()) {
            int cpus = job.cpus().get(job.hosts().indexOf(t.host()));
            Map<String, String> env = StepTasks.environment(srunEnv, o, step, t, stepId, cpus);
            lines.add(t.procId() == 0
                    ? PseudoTerminal.wrap(StepTasks.commandLine(env, dir, o.command(), null, null, null), size)
                    : StepTasks.commandLine(env, dir, o.command(), null, DISCARDED, DISCARDED));
        }
        return lines;
    }
}
