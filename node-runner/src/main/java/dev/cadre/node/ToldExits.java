package dev.cadre.node;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobState;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** What became of a run's answer ({@link #pass}). */
    enum Passed {
        /** Not its exit. */
        ANSWER,
        /** Its exit, which its agent was told: now, or, over memory, before. */
        EXIT_TOLD,
        /** Its exit, which the broker did not take: the runner stops, or the broker is away. */
        EXIT_UNSENT
    }

    /** Passes a run's answer on to its agent, unless the agent was told over memory; remembers its exit. */
    Passed pass(String requestId, ExecMessage reply, ExecRun.Replies agent) {
        ExecMessage.ExecExit told = overMemory.get(requestId);
        boolean sent = told != null || agent.send(reply);
        if (!(reply instanceof ExecMessage.ExecExit exit)) {
            return Passed.ANSWER;
        }
        remember(requestId, told != null ? told : exit);
        overMemory.remove(requestId);
        return sent ? Passed.EXIT_TOLD : Passed.EXIT_UNSENT;
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

    /**
     * Tells the run's agent, unless it was told before, that the job's memory here is over its request: SIGKILL's
     * exit, {@code killedFor} OUT_OF_MEMORY, with the error.
     *
     * @return whether it was told now
     */
    boolean tellOverMemory(String requestId, String error, ExecRun.Replies agent) {
        var exit = new ExecMessage.ExecExit(requestId, 128 + 9, 9, error, JobState.OUT_OF_MEMORY);
        if (overMemory.putIfAbsent(requestId, exit) != null) {
            return false;
        }
        agent.send(exit);
        return true;
    }

    /**
     * Tells each of these runs' agents so, once ({@link #tellOverMemory(String, String, ExecRun.Replies)}).
     *
     * @return how many agents were told
     */
    int tellOverMemory(List<RunningCommands.Listed> runs, String error) {
        int agents = 0;
        for (RunningCommands.Listed l : runs) {
            if (tellOverMemory(l.run().requestId(), error, l.replies())) {
                agents++;
            }
        }
        return agents;
    }
}
