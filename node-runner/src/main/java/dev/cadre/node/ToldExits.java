package dev.cadre.node;

import dev.cadre.protocol.ExecMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agents of this node's remote commands were told of their ends ({@link ExecSessions}), by request id: the
 * exits of the runs that ended last, to be told again to an agent whose answer was lost while the broker was away
 * (or, for a command adopted after a restart, first told from what its wrapper recorded); and the runs whose agents
 * were told that the job's memory here is over its request, with the exit they were told, after which their agents
 * hear nothing more of them.
 */
final class ToldExits {
    private static final int REMEMBERED_EXITS = 4096;

    /** Guarded by itself. */
    private final Map<String, ExecMessage.ExecExit> lately = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExecMessage.ExecExit> eldest) {
            return size() > REMEMBERED_EXITS;
        }
    };
    private final Map<String, ExecMessage.ExecExit> overMemory = new ConcurrentHashMap<>();

    /**
     * Passes a run's answer on to its agent, unless the agent was told over memory; remembers its exit.
     *
     * @return whether it was the run's exit
     */
    boolean pass(String requestId, ExecMessage reply, ExecRun.Replies agent) {
        ExecMessage.ExecExit told = overMemory.get(requestId);
        if (told == null) {
            agent.send(reply);
        }
        if (!(reply instanceof ExecMessage.ExecExit exit)) {
            return false;
        }
        remember(requestId, told != null ? told : exit);
        overMemory.remove(requestId);
        return true;
    }

    void remember(String requestId, ExecMessage.ExecExit exit) {
        synchronized (lately) {
            lately.put(requestId, exit);
        }
    }

    /** The exit reported for a run that ended here lately, to be told again to an agent that did not get it. */
    Optional<ExecMessage.ExecExit> lately(String requestId) {
        synchronized (lately) {
            return Optional.ofNullable(lately.get(requestId));
        }
    }

    boolean toldOverMemory(String requestId) {
        return overMemory.containsKey(requestId);
    }

    /** @return whether the run's agent is to be told now: it was not told before */
    boolean tellOverMemory(String requestId, ExecMessage.ExecExit exit) {
        return overMemory.putIfAbsent(requestId, exit) == null;
    }
}
