package dev.cadre.cli;

import dev.cadre.cli.slurm.PtyTasks;
import dev.cadre.cli.slurm.SrunOptions;
import dev.cadre.cli.slurm.StepLayout;
import dev.cadre.node.core.TerminalSize;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * srun --pty inside a job (salloc's shell, a batch script, the job srun --pty outside one submits): a step whose task
 * 0 runs at a pseudo-terminal on its node, the job's first unless -w or -N say otherwise, its keys this srun's
 * standard input and its screen this srun's output, and whose other tasks run as Slurm runs them, their output
 * thrown away and their input /dev/null ({@link PtyTasks}), task 0's output labelled "0: " under -l as Slurm's
 * unbuffered output is ({@link TaskOutput}); every task goes through this node's exec relay as any
 * task does ({@link RunningStep}), with the step's SLURM_* variables. At a terminal, as srun --pty outside a job
 * ({@link InteractiveStep}): the terminal raw while task 0 runs, its size given to the pseudo-terminal and every new
 * size after ({@link WindowWatch}, the relay's resize frames). srun waits for every task and exits with the highest
 * code.
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

    /** @return srun's exit status: the tasks' highest; 255 for a task that could not be run or heard to its end */
    int run(SrunOptions o, StepLayout.Allocation job, StepLayout step) {
        int stepId = SrunCommand.nextStep(SrunCommand.stepsDirectory(env));
        boolean tty = StandardInputSource.isTerminal();
        TerminalSize size = tty ? TerminalMode.size() : null;
        List<String> lines = PtyTasks.commandLines(env, o, job, step, stepId, SrunAllocation.directory(o), size);
        AtomicBoolean stopping = new AtomicBoolean();
        // --pty implies -u in Slurm: task 0's output shown as it comes, each piece labelled under -l.
        TaskOutput output = new TaskOutput(out, err, o.label(), step.tasks().size(), true);
        RunningStep running;
        try (TerminalMode raw = tty ? TerminalMode.raw(System.in) : null) {
            InputStream keys = keptOpen(raw != null ? raw.keys() : System.in);
            List<TaskRun> runs = new ArrayList<>();
            for (StepLayout.Task t : step.tasks()) {
                runs.add(new TaskRun(t, lines.get(t.procId()), output, stopping, o.killOnBadExit(),
                        t.procId() == 0 ? keys : null, o.binding().task(step, t, o.cpusPerTask())));
            }
            TaskRun zero = runs.get(0);
            try (WindowWatch sizes = tty ? WindowWatch.start(size, zero::resize) : null) {
                running = RunningStep.start(runs, stopping, output, err, env);
                zero.await();
            }
        } catch (IOException e) {
            err.println("srun: error: cannot set the terminal: " + e.getMessage());
            return TaskRun.UNREACHABLE;
        }
        return running.await();
    }

    /**
     * srun's own standard input (after what was typed ahead, at a terminal), which the call closes when done: left
     * open, as the terminal is srun's (a close of file descriptor 0 would not wake the copy's read either).
     */
    private static InputStream keptOpen(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }
}
