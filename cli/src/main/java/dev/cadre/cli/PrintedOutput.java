package dev.cadre.cli;

import dev.cadre.node.GrantedExec;
import java.io.PrintStream;

/**
 * A remote command's output shown here as it comes, stdout on ours and stderr on ours, whichever way it runs: from
 * outside the job ({@link GrantedExec}) or through this node's exec relay ({@link RelayCall}).
 */
final class PrintedOutput implements GrantedExec.Output, RelayCall.Output {
    private final PrintStream out;
    private final PrintStream err;

    PrintedOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void stdout(byte[] data) {
        out.write(data, 0, data.length);
        out.flush();
    }

    @Override
    public void stderr(byte[] data) {
        err.write(data, 0, data.length);
        err.flush();
    }
}
