package dev.cadre.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** What an agent wrote, as it arrives: the relay tests' collector of a RelayCall's or a cadre-rsh process's output. */
final class AgentOutput implements RelayCall.Output {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Whether a command runs through the relay with these exec variables: the test bed's readiness check. */
    static boolean works(Map<String, String> e) {
        try (RelayCall call = RelayCall.start(e, List.of("beta", "true"))) {
            return call.await(new AgentOutput()) == 0;
        } catch (IOException ex) {
            return false;
        }
    }

    @Override
    public synchronized void stdout(byte[] data) {
        out.writeBytes(data);
    }

    @Override
    public synchronized void stderr(byte[] data) {
        err.writeBytes(data);
    }

    synchronized String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Copies a process's stream here as it comes, on a thread of its own. */
    Thread copying(InputStream in, boolean errors) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    byte[] data = Arrays.copyOf(buffer, n);
                    if (errors) {
                        stderr(data);
                    } else {
                        stdout(data);
                    }
                }
            } catch (IOException e) {
                // The agent is gone; what it wrote is kept.
            }
        });
        t.start();
        return t;
    }
}
