package dev.cadre.cli.slurm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * srun -l's labels, as Slurm's write_labelled_message writes them: "%*d: " before each line, the task id padded to
 * the width of the step's highest id. Unbuffered output (--pty implies -u) comes as the task wrote it, not in whole
 * lines: Slurm labels each piece it gets, and a piece that does not end a line gets a newline after it, in label
 * mode only.
 */
public final class TaskLabels {
    private TaskLabels() {
    }

    /** The width of the labels of a step of {@code tasks} tasks: the digits of its highest task id. */
    public static int width(int tasks) {
        return Integer.toString(Math.max(0, tasks - 1)).length();
    }

    /** The label before a line of task {@code task}. */
    public static byte[] prefix(int task, int width) {
        return String.format("%" + width + "d: ", task).getBytes(StandardCharsets.US_ASCII);
    }

    /** One piece of unbuffered output, each of its lines labelled, a last line without its newline ended by one. */
    public static byte[] unbuffered(byte[] data, int task, int width) {
        byte[] label = prefix(task, width);
        ByteArrayOutputStream labelled = new ByteArrayOutputStream(data.length + label.length + 1);
        int start = 0;
        while (start < data.length) {
            int end = start;
            while (end < data.length && data[end] != '\n') {
                end++;
            }
            labelled.write(label, 0, label.length);
            if (end == data.length) {
                labelled.write(data, start, end - start);
                labelled.write('\n');
            } else {
                labelled.write(data, start, end + 1 - start);
            }
            start = end + 1;
        }
        return labelled.toByteArray();
    }
}
