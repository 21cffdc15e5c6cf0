package dev.cadre.node;

import dev.cadre.protocol.ExecMessage;
import jakarta.jms.Destination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Keepalives for requests this runner is not running (protocol.md 13.4): a runner restarted after a kill -9 lost
 * its commands' agents, and an exit sent while the broker was away is lost; either agent would wait for an exit for
 * ever (MPICH's mpiexec waits for every one of them). Each keepalive names its agent's reply queue, so the agent is
 * answered: once the command an earlier runner started for the request, adopted here, has ended; with the exit
 * again, for a command that ended here lately; or, for a request nothing here knows, once it has stayed unknown for
 * {@link #UNKNOWN_FOR} (a keepalive may overtake its request, which then comes, or cross the exit on its way).
 * Whether a request's command was adopted is asked again at each pass, never kept: keepalives queued while no runner
 * ran arrive at once, and one heard before the adoption must not make an adopted command's agent hear that nothing
 * knows it. Called from one thread.
 */
final class UnknownRequests {
    static final Duration UNKNOWN_FOR = Duration.ofSeconds(3);
    /** Forgotten when its keepalives stop: its agent went away. */
    static final Duration SILENT_FOR = Duration.ofSeconds(10);
    private static final int MAX_TRACKED = 4096;

    private record Tracked(Destination replyTo, long firstNanos, long lastNanos) {
    }

    private final String nodeId;
    private final LongSupplier nanoTime;
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();

    UnknownRequests(String nodeId) {
        this(nodeId, System::nanoTime);
    }

    /** @param nanoTime the clock, {@link System#nanoTime} but in tests */
    UnknownRequests(String nodeId, LongSupplier nanoTime) {
        this.nodeId = nodeId;
        this.nanoTime = nanoTime;
    }

    /** A keepalive for a request not running here. */
    void heard(String requestId, Destination replyTo) {
        long now = nanoTime.getAsLong();
        Tracked t = tracked.get(requestId);
        if (t == null && tracked.size() < MAX_TRACKED) {
            tracked.put(requestId, new Tracked(replyTo, now, now));
        } else if (t != null) {
            tracked.put(requestId, new Tracked(replyTo, t.firstNanos(), now));
        }
    }

    /** The request's agent is gone (its relay released it): it is not to be answered. */
    void forget(String requestId) {
        tracked.remove(requestId);
    }

    /**
     * The answers now due, each an exec-exit for its agent's reply queue; the requests answered are forgotten.
     *
     * @param known whether the request is now running or waiting here (its keepalive overtook it)
     * @param adopted what an earlier runner's command for the request left running, if this runner adopted it
     * @param ended the exit already reported for a command that ended here lately, if any
     */
    Map<ExecMessage.ExecExit, Destination> due(Predicate<String> known,
            Function<String, Optional<JobProcesses>> adopted,
            Function<String, Optional<ExecMessage.ExecExit>> ended) {
        return due(known, id -> false, adopted, ended);
    }

    /**
     * The same, for a runner that relays the output of the commands it adopted: such a command's exit is not due
     * while what it wrote is still being relayed, which goes before it.
     *
     * @param relaying whether the output of the adopted command for the request is still being relayed
     */
    Map<ExecMessage.ExecExit, Destination> due(Predicate<String> known, Predicate<String> relaying,
            Function<String, Optional<JobProcesses>> adopted,
            Function<String, Optional<ExecMessage.ExecExit>> ended) {
        long now = nanoTime.getAsLong();
        Map<ExecMessage.ExecExit, Destination> out = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        tracked.forEach((id, t) -> {
            if (known.test(id) || now - t.lastNanos() > SILENT_FOR.toNanos()) {
                done.add(id);
                return;
            }
            if (relaying.test(id)) {
                return;
            }
            Optional<JobProcesses> left = adopted.apply(id);
            if (left.isPresent()) {
                if (!left.get().alive()) {
                    out.put(new ExecMessage.ExecExit(id, ExecClient.UNREACHABLE, 0, "the node-runner on " + nodeId
                            + " restarted while the command ran; the command has ended, its exit status is lost"),
                            t.replyTo());
                    done.add(id);
                }
            } else if (now - t.firstNanos() >= UNKNOWN_FOR.toNanos()) {
                // Its exit, again: the first one was lost on its way (the broker was away).
                out.put(ended.apply(id).orElseGet(() -> new ExecMessage.ExecExit(id, ExecClient.UNREACHABLE, 0,
                        "the node-runner on " + nodeId + " does not know this command: its request never reached"
                        + " this node, or it ended under an earlier node-runner; its end cannot be reported")),
                        t.replyTo());
                done.add(id);
            }
        });
        done.forEach(tracked::remove);
        return out;
    }
}
