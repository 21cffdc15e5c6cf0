package dev.cadre.node;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The remote commands running on this node, by request id, as {@link LeftoverCommands} holds what ended ones left:
 * an agent's messages reach its run by its request id, while an attempt's end, suspension and memory checks act on
 * all of the attempt's runs here at once ({@link #ofAttempt}).
 */
final class RunningCommands {
    /** @param replies where its answers go: its agent's reply queue */
    record Listed(RecordedCommands.Started command, ExecRun.Replies replies) {
        ExecRun run() {
            return command.run();
        }
    }

    /** Concurrent: the exec queue's consumer, the watchdog and the runs' exits all read it. */
    private final Map<String, Listed> byRequest = new ConcurrentHashMap<>();

    void add(String requestId, Listed command) {
        byRequest.put(requestId, command);
    }

    /** Null when the request's command does not run here. */
    Listed get(String requestId) {
        return byRequest.get(requestId);
    }

    /** Null when it was not running here (any more). */
    Listed remove(String requestId) {
        return byRequest.remove(requestId);
    }

    boolean contains(String requestId) {
        return byRequest.containsKey(requestId);
    }

    Collection<Listed> all() {
        return byRequest.values();
    }

    /** The attempt's commands running here, a snapshot. */
    List<Listed> ofAttempt(long jobId, int attempt) {
        return byRequest.values().stream().filter(l -> l.run().jobId() == jobId && l.run().attempt() == attempt)
                .toList();
    }
}
