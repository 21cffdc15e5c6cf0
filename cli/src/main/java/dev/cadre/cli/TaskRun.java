package dev.cadre.cli;

import dev.cadre.cli.slurm.StepLayout;
import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.ExecMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/** One task of an srun step, run on its node through the exec relay on a thread of its own. */
final class TaskRun {
    /** What a task that could not be started or heard to its end exits with, as ssh does. */
    static final int UNREACHABLE = 255;

    private final StepLayout.Task task;
    private final String commandLine;
    private final TaskOutput output;
    private final AtomicBoolean stopping;
    private final boolean stopOthersOnFailure;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** What the task reads: srun's forwarded input, or null for /dev/null (or -i's file, in its command line). */
    private final InputStream input;
    /** Which task of the step it is, for its node's share of the job's CPUs and GPUs; null for none. */
    private final ExecMessage.StepTask binding;
    private volatile RelayCall call;
    private List<TaskRun> others = List.of();

    /** @param stopping set when the step is being stopped (Ctrl-C, or -K after a task failed) */
    TaskRun(StepLayout.Task task, String commandLine, TaskOutput output, AtomicBoolean stopping,
            boolean stopOthersOnFailure) {
        this(task, commandLine, output, stopping, stopOthersOnFailure, null, null);
    }

    /**
     * @param input srun's input forwarded to this task, closed once the task is done with it; null for none
     * @param binding the task as its node binds it, or null for a command that gets all of the job's CPUs and GPUs
     */
    TaskRun(StepLayout.Task task, String commandLine, TaskOutput output, AtomicBoolean stopping,
            boolean stopOthersOnFailure, InputStream input, ExecMessage.StepTask binding) {
        this.input = input;
        this.binding = binding;
        this.task = task;
        this.commandLine = commandLine;
        this.output = output;
        this.stopping = stopping;
        this.stopOthersOnFailure = stopOthersOnFailure;
    }

    StepLayout.Task task() {
        return task;
    }

    /** The step's tasks, which -K stops when this one fails. */
    void step(List<TaskRun> all) {
        this.others = all;
    }

    void start(Map<String, String> env) {
        Thread t = new Thread(() -> exit.complete(run(env)), "srun-task-" + task.procId());
        t.setDaemon(true);
        t.start();
    }

    private int run(Map<String, String> env) {
        int code;
        try (RelayCall c = RelayCall.start(env, List.of(task.host(), commandLine), input, binding)) {
            call = c;
            if (stopping.get()) {
                return UNREACHABLE;
            }
            code = c.await(output.of(task.procId()));
        } catch (IOException e) {
            if (!stopping.get()) {
                output.error("srun: error: " + task.host() + ": task " + task.procId() + ": " + e.getMessage());
            }
            code = UNREACHABLE;
        }
        if (code != 0 && stopOthersOnFailure && stopping.compareAndSet(false, true)) {
            output.error("srun: error: task " + task.procId() + " failed; -K stops the others");
            others.stream().filter(r -> r != this).forEach(TaskRun::stop);
        }
        return code;
    }

    /** Gives the task's pseudo-terminal a new size (srun --pty's task 0); lost before the task has started. */
    void resize(TerminalSize size) {
        RelayCall c = call;
        if (c != null) {
            c.resize(size);
        }
    }

    /** Hangs up on the relay, whose node then kills the task. */
    void stop() {
        RelayCall c = call;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // Closed already: the task is over or going.
            }
        }
    }

    int await() {
        try {
            return exit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREACHABLE;
        } catch (ExecutionException e) {
            return UNREACHABLE;
        }
    }
}
