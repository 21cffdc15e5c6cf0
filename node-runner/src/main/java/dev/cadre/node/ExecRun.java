package dev.cadre.node;

import dev.cadre.protocol.ExecMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One remote command: {@code bash -c COMMAND} as the leader of its own process group, its output streamed as it
 * comes, and its end reported once both streams are drained. Killing it reaches every process it started.
 */
final class ExecRun {
    /** Where the run's answers go, in order. */
    interface Replies {
        void send(ExecMessage message);
    }

    private static final int CHUNK = 64 * 1024;
    private final ExecMessage.ExecRequest request;
    private final Process process;
    private final Replies replies;
    private final CountDownLatch drained = new CountDownLatch(2);
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile int killedWith;

    private ExecRun(ExecMessage.ExecRequest request, Process process, Replies replies) {
        this.request = request;
        this.process = process;
        this.replies = replies;
    }

    /** Starts the command; nothing is reported until {@link #report}, so the caller can list the run first. */
    static ExecRun start(ExecMessage.ExecRequest request, Path workDir, Map<String, String> environment,
            Replies replies) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("setsid", "bash", "-c", request.command());
        pb.directory((workDir != null && Files.isDirectory(workDir) ? workDir : Path.of("/")).toFile());
        pb.environment().putAll(environment);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new ExecRun(request, pb.start(), replies);
    }

    /** Reports the start, streams the output, and reports the exit once both streams are drained. */
    void report() {
        replies.send(new ExecMessage.ExecStarted(request.requestId(), process.pid()));
        pump(process.getInputStream(), "stdout");
        pump(process.getErrorStream(), "stderr");
        process.onExit().thenRun(this::finish);
    }

    String requestId() {
        return request.requestId();
    }

    long jobId() {
        return request.jobId();
    }

    int attempt() {
        return request.attempt();
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    boolean silentFor(Duration d) {
        return System.nanoTime() - lastHeardNanos > d.toNanos();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM to the group, SIGKILL after the grace period; blocks up to the grace period. */
    void kill(Duration grace) {
        killedWith = 15;
        // setsid made bash the group leader, so its pid is the group id.
        ProcessGroups.terminate(process.pid(), grace);
    }

    private void pump(InputStream in, String stream) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    replies.send(new ExecMessage.ExecOutput(request.requestId(), stream,
                            Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer, n))));
                }
            } catch (IOException e) {
                // The pipe closed under us: the process is gone, and its end is reported below.
            } finally {
                drained.countDown();
            }
        }, "cadre-exec-" + stream);
        t.setDaemon(true);
        t.start();
    }

    private void finish() {
        try {
            // Output written just before the exit must go out before the exit itself.
            drained.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = process.exitValue();
        int signal = code > 128 && code < 160 && killedWith != 0 ? code - 128 : 0;
        replies.send(new ExecMessage.ExecExit(request.requestId(), code, signal, null));
    }
}
