package dev.cadre.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code cadre rsh}: the remote-exec agent, as a Java command. It does what {@code bin/cadre-rsh} (the script
 * MPI launchers are given, since it starts in milliseconds) does: hands its arguments and the job's exec
 * variables to this node's runner over its relay socket, and copies the answer: the output as it comes, then
 * the exit status, 255 when the host is unknown or unreachable. Its standard input goes to the command, as ssh's
 * does (unless it is /dev/null, or {@code -n} is given, when the command reads /dev/null and this reads nothing).
 */
final class RshCommand {
    private static final int UNREACHABLE = 255;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    /** What the command reads; null for /dev/null. */
    private final InputStream in;

    /** The command reads this process's standard input, unless that is /dev/null. */
    RshCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this(out, err, env, StandardInputSource.isNull() ? null : new FilterInputStream(System.in) {
            @Override
            public void close() {
                // Not while the copy may be reading it: the process ends soon anyway.
            }
        });
    }

    /** @param in what the command reads, closed once done with; null for /dev/null */
    RshCommand(PrintStream out, PrintStream err, Map<String, String> env, InputStream in) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.in = in;
    }

    int run(List<String> args) {
        try (RelayCall call = RelayCall.start(env, args, in)) {
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
