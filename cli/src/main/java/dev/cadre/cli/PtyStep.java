package dev.cadre.cli;

import dev.cadre.cli.slurm.PseudoTerminal;
import dev.cadre.cli.slurm.SrunOptions;
import dev.cadre.cli.slurm.StepLayout;
import dev.cadre.cli.slurm.StepTasks;
import dev.cadre.node.core.TerminalSize;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * srun --pty inside a job (salloc's shell, a batch script): a step whose task 0 runs at a pseudo-terminal on its
 * node, the job's first unless -w or -N say otherwise, through this node's exec relay as any task runs (so with the
 * step's SLURM_* variables), its keys this srun's standard input and its screen this srun's output. At a terminal,
 * as srun --pty outside a job ({@link InteractiveStep}): the terminal raw, its size given to the pseudo-terminal and
 * every new size after ({@link WindowWatch}, the relay's resize frames). Slurm starts the step's other tasks with
 * their output thrown away; Cadre runs task 0 alone, as outside a job.
 */
final class PtyStep {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    PtyStep(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** @return the command's exit status, as srun's; 255 when it could not be run or heard to its end */
    int run(SrunOptions o, StepLayout.Allocation job, StepLayout step) {
        StepLayout.Task task = step.tasks().get(0);
        int stepId = SrunCommand.nextStep(SrunCommand.stepsDirectory(env));
        int cpus = job.cpus().get(job.hosts().indexOf(task.host()));
        boolean tty = StandardInputSource.isTerminal();
        TerminalSize size = tty ? TerminalMode.size() : null;
        String line = PseudoTerminal.wrap(StepTasks.commandLine(StepTasks.environment(env, o, step, task, stepId,
                cpus), SrunAllocation.directory(o), o.command(), null, null, null), size);
        int code;
        try (RelayCall call = RelayCall.start(env, List.of(task.host(), line), keptOpen(System.in));
                TerminalMode raw = tty ? TerminalMode.raw() : null;
                WindowWatch sizes = tty ? WindowWatch.start(size, call::resize) : null) {
            code = call.await(new PrintedOutput(out, err));
        } catch (IOException e) {
            err.println("srun: error: " + task.host() + ": task 0: " + e.getMessage());
            return TaskRun.UNREACHABLE;
        }
        if (code != 0) {
            err.println("srun: error: " + task.host() + ": task 0: " + SrunCommand.describe(code));
        }
        return code;
    }

    /**
     * srun's own standard input, which the call closes when done: left open, as the terminal is srun's (a close of
     * file descriptor 0 would not wake the copy's read either).
     */
    private static InputStream keptOpen(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }
}
