package dev.cadre.cli;

import dev.cadre.cli.slurm.TaskLabels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the tasks of an srun step write: srun's own stdout and stderr, whole writes at a time so that tasks do
 * not tear each other's output. With -l every line starts with its task's id, padded as srun pads it
 * ("%*d: "), and a line is held until it is complete; unbuffered (srun --pty, which implies -u), each piece is
 * labelled as it comes ({@link TaskLabels#unbuffered}).
 */
final class TaskOutput {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean label;
    private final int width;
    private final boolean unbuffered;
    /** Incomplete last lines, by task and stream, while labelling. */
    private final Map<String, ByteArrayOutputStream> partial = new HashMap<>();

    /** @param tasks how many tasks the step has, for the width of the labels */
    TaskOutput(PrintStream out, PrintStream err, boolean label, int tasks) {
        this(out, err, label, tasks, false);
    }

    /** @param unbuffered whether each piece of output is shown, labelled, as it comes rather than in whole lines */
    TaskOutput(PrintStream out, PrintStream err, boolean label, int tasks, boolean unbuffered) {
        this.out = out;
        this.err = err;
        this.label = label;
        this.width = TaskLabels.width(tasks);
        this.unbuffered = unbuffered;
    }

    RelayCall.Output of(int task) {
        return new RelayCall.Output() {
            @Override
            public void stdout(byte[] data) {
                write(out, task, "o", data);
            }

            @Override
            public void stderr(byte[] data) {
                write(err, task, "e", data);
            }
        };
    }

    /** srun's own complaints, between the tasks' writes. */
    void error(String line) {
        synchronized (this) {
            err.println(line);
            err.flush();
        }
    }

    private synchronized void write(PrintStream to, int task, String stream, byte[] data) {
        if (!label || unbuffered) {
            byte[] shown = label ? TaskLabels.unbuffered(data, task, width) : data;
            to.write(shown, 0, shown.length);
            to.flush();
            return;
        }
        ByteArrayOutputStream held = partial.computeIfAbsent(task + stream, k -> new ByteArrayOutputStream());
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                emit(to, task, held, data, start, i + 1);
                start = i + 1;
            }
        }
        held.write(data, start, data.length - start);
        to.flush();
    }

    private void emit(PrintStream to, int task, ByteArrayOutputStream held, byte[] data, int from, int to2) {
        byte[] prefix = TaskLabels.prefix(task, width);
        to.write(prefix, 0, prefix.length);
        byte[] before = held.toByteArray();
        to.write(before, 0, before.length);
        held.reset();
        to.write(data, from, to2 - from);
    }

    /** A task's last line without a newline, once the task is done. */
    synchronized void flush(int task) {
        for (String stream : new String[] {"o", "e"}) {
            ByteArrayOutputStream held = partial.remove(task + stream);
            if (held != null && held.size() > 0) {
                PrintStream to = stream.equals("o") ? out : err;
                emit(to, task, held, new byte[] {'\n'}, 0, 1);
                to.flush();
            }
        }
    }
}
