package dev.cadre.cli;

import dev.cadre.cli.slurm.TaskEnds;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tasks of one srun step, each on its node through the exec relay ({@link TaskRun}), from their start to srun's
 * exit code: srun's interruption (Ctrl-C, a hang-up, SIGTERM) stops them all, and each task that did not exit 0 is
 * told in Slurm's words once it ends, unless the step was being stopped.
 */
final class RunningStep {
    private final List<TaskRun> runs;
    private final AtomicBoolean stopping;
    private final TaskOutput output;
    private final Thread hook;

    private RunningStep(List<TaskRun> runs, AtomicBoolean stopping, TaskOutput output, PrintStream err) {
        this.runs = runs;
        this.stopping = stopping;
        this.output = output;
        this.hook = new Thread(() -> {
            if (stopping.compareAndSet(false, true)) {
                err.println("srun: interrupted; stopping the step's tasks");
                runs.forEach(TaskRun::stop);
            }
        }, "srun-interrupt");
    }

    /**
     * Starts every task.
     *
     * @param stopping the flag the tasks were made with, set when the step is being stopped
     */
    static RunningStep start(List<TaskRun> runs, AtomicBoolean stopping, TaskOutput output, PrintStream err,
            Map<String, String> env) {
        RunningStep step = new RunningStep(runs, stopping, output, err);
        Runtime.getRuntime().addShutdownHook(step.hook);
        runs.forEach(r -> r.step(runs));
        runs.forEach(r -> r.start(env));
        return step;
    }

    /** Waits for every task, in order, saying how each that failed ended. @return srun's exit code */
    int await() {
        List<Integer> codes = new ArrayList<>();
        for (TaskRun r : runs) {
            int code = r.await();
            output.flush(r.task().procId());
            if (code != 0 && !stopping.get()) {
                output.error(TaskEnds.report(r.task(), code));
            }
            codes.add(code);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running.
        }
        return TaskEnds.stepExit(codes);
    }
}
