package dev.cadre.cli;

import dev.cadre.cli.slurm.TaskLabels;
import dev.cadre.node.GrantedExec;
import java.io.PrintStream;
import java.util.function.UnaryOperator;

/**
 * A remote command's output shown here as it comes, stdout on ours and stderr on ours, whichever way it runs: from
 * outside the job ({@link GrantedExec}) or through this node's exec relay ({@link RelayCall}); for srun --pty -l,
 * labelled as task 0's as it comes ({@link TaskLabels#unbuffered}).
 */
final class PrintedOutput implements GrantedExec.Output, RelayCall.Output {
    private final PrintStream out;
    private final PrintStream err;
    private final UnaryOperator<byte[]> shown;

    PrintedOutput(PrintStream out, PrintStream err) {
        this(out, err, UnaryOperator.identity());
    }

    private PrintedOutput(PrintStream out, PrintStream err, UnaryOperator<byte[]> shown) {
        this.out = out;
        this.err = err;
        this.shown = shown;
    }

    /** The output of a step's only task, task 0, each piece labelled "0: " as it comes. */
    static PrintedOutput labelledTaskZero(PrintStream out, PrintStream err) {
        return new PrintedOutput(out, err, data -> TaskLabels.unbuffered(data, 0, TaskLabels.width(1)));
    }

    @Override
    public void stdout(byte[] data) {
        byte[] bytes = shown.apply(data);
        out.write(bytes, 0, bytes.length);
        out.flush();
    }

    @Override
    public void stderr(byte[] data) {
        byte[] bytes = shown.apply(data);
        err.write(bytes, 0, bytes.length);
        err.flush();
    }
}
