package dev.cadre.node;

import dev.cadre.node.core.LauncherWire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link JobLauncher}'s process answers on its stdout ({@link LauncherWire}), read on a thread of its own:
 * that it is ready, each request's wrapper pid or refusal, and each wrapper's end. When the answers end (the
 * launcher died, or was sent what it could not read), every request still waiting fails, and the ends not yet
 * heard are reported unknown.
 */
final class LauncherAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(LauncherAnswers.class);
    private final Process process;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<JobLauncher.Launched>> pending = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<OptionalInt>> ends = new ConcurrentHashMap<>();
    private volatile boolean closed;

    LauncherAnswers(Process process) {
        this.process = process;
    }

    /** Done once the launcher takes requests; failed if its answers end first. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Done once the launcher's answers have ended: it takes no more requests. */
    CompletableFuture<Void> gone() {
        return gone;
    }

    /** The answer to request {@code id}, to come; {@link #forget} it once heard or given up. */
    CompletableFuture<JobLauncher.Launched> expect(long id) {
        CompletableFuture<JobLauncher.Launched> answer = new CompletableFuture<>();
        pending.put(id, answer);
        return answer;
    }

    void forget(long id) {
        pending.remove(id);
    }

    /** The wrappers' ends are no longer reported: the launcher was closed. */
    void close() {
        closed = true;
    }

    /** Reads the answers until they end; the reading thread's work. */
    void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                take(LauncherWire.answer(line));
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("job launcher {}: {}", process.pid(), e.getMessage());
            process.destroyForcibly();
        } finally {
            if (!closed) {
                LOG.warn("job launcher {} is gone; {} wrappers it started are watched without it", process.pid(),
                        ends.size());
            }
            gone.complete(null);
            ready.completeExceptionally(new IOException("the job launcher ended"));
            pending.values().forEach(p -> p.completeExceptionally(new IOException("the job launcher ended")));
            if (!closed) {
                ends.values().forEach(end -> end.complete(OptionalInt.empty()));
            }
        }
    }

    private void take(LauncherWire.Answer answer) {
        if (answer instanceof LauncherWire.Ready) {
            ready.complete(null);
        } else if (answer instanceof LauncherWire.Started s) {
            // Registered before the request hears of it: the wrapper's end may be the very next line.
            CompletableFuture<OptionalInt> end = new CompletableFuture<>();
            ends.put(s.pid(), end);
            complete(s.id(), new JobLauncher.Launched(s.pid(), end));
        } else if (answer instanceof LauncherWire.Refused r) {
            CompletableFuture<JobLauncher.Launched> p = pending.get(r.id());
            if (p != null) {
                p.completeExceptionally(new JobLauncher.Refused(r.reason()));
            }
        } else if (answer instanceof LauncherWire.Ended e) {
            CompletableFuture<OptionalInt> end = ends.remove(e.pid());
            // A closed launcher's ends go unreported, as a dead node-runner's would.
            if (end != null && !closed) {
                end.complete(OptionalInt.of(e.exitValue()));
            }
        }
    }

    private void complete(long id, JobLauncher.Launched launched) {
        CompletableFuture<JobLauncher.Launched> p = pending.get(id);
        if (p != null) {
            p.complete(launched);
        }
    }
}
