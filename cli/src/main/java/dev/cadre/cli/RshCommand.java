package dev.cadre.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code cadre rsh}: the remote-exec agent, as a Java command. It does what {@code bin/cadre-rsh} (the script
 * MPI launchers are given, since it starts in milliseconds) does: hands its arguments and the job's exec
 * variables to this node's runner over its relay socket, and copies the answer: the output as it comes, then
 * the exit status, 255 when the host is unknown or unreachable.
 */
final class RshCommand {
    private static final int UNREACHABLE = 255;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    RshCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(List<String> args) {
        try (RelayCall call = RelayCall.start(env, args)) {
            return call.await(new RelayCall.Output() {
                @Override
                public void stdout(byte[] data) throws IOException {
                    copy(out, data);
                }

                @Override
                public void stderr(byte[] data) throws IOException {
                    copy(err, data);
                }
            });
        } catch (IOException e) {
            err.println("cadre rsh: " + e.getMessage());
            err.flush();
            return UNREACHABLE;
        }
    }

    private static void copy(OutputStream to, byte[] data) throws IOException {
        to.write(data);
        to.flush();
    }
}
