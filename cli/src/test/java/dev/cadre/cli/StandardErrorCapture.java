package dev.cadre.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.function.Executable;

/**
 * What this JVM writes on standard error while some code runs: the log lines of a head or client in it
 * (slf4j-simple looks System.err up at each line). What is written still reaches the real standard error too.
 */
final class StandardErrorCapture {
    /** What the code threw (null for nothing) and what was written meanwhile. */
    record Outcome(Throwable thrown, String written) {
    }

    private StandardErrorCapture() {
    }

    static synchronized Outcome of(Executable code) {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                copy.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                copy.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(both, true, StandardCharsets.UTF_8));
        Throwable thrown = null;
        try {
            code.execute();
        } catch (Throwable t) {
            thrown = t;
        } finally {
            System.setErr(original);
        }
        synchronized (copy) {
            return new Outcome(thrown, copy.toString(StandardCharsets.UTF_8));
        }
    }
}
