package dev.cadre.node;

import dev.cadre.node.core.MemoryLimit;
import dev.cadre.node.core.ProportionalRecheck;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeCommand;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the virtual memory of a job's remote commands on a node that runs only those (the ranks and daemons mpirun
 * or srun start through {@code cadre-rsh}; {@link CommandVmPeaks}), and enforces the job's memory request there, as
 * {@link MemoryWatch} does on the node that runs its script: every interval it sums the resident memory of all the attempt's commands here ({@link ExecSessions#processes}: their sessions or
 * cgroups, with what ended commands left; their wrappers, {@link CommandWrapper}, spared) against the job's share
 * of this node ({@link MemoryLimit#onNode}).
 *
 * <p>Over it, the coordinator must end the attempt, as only it reports the attempt's end: the commands' agents, which
 * run there, are told first ({@link ExecSessions#tellOverMemory}), and the commands here are killed with SIGKILL once
 * the coordinator has taken it (its relay releases the command: {@link ExecSessions#release}), or after
 * {@link #ANSWER_WAIT} at the latest. Killed first, a daemon's death would reach mpirun over its own connection,
 * ahead of the broker, and the attempt could end FAILED before its coordinator heard why.
 */
final class CommandMemoryWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandMemoryWatch.class);
    /** How long the commands run on over their memory while their coordinator takes the kill: its broker round trip. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(2);

    private final String nodeId;
    private final HeldAttempts held;
    private final ExecSessions sessions;
    private final Duration interval;
    /** Attempts found over their memory here, their commands killed or being killed; pruned as they are released. */
    private final Set<String> over = ConcurrentHashMap.newKeySet();
    /** When each watched attempt's next reading over its limit is measured by PSS; pruned as they are released. */
    private final Map<String, ProportionalRecheck> rechecks = new HashMap<>();
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-exec-memory-checks");
        t.setDaemon(true);
        return t;
    });

    /** @param interval how often ({@code --memory-check-interval}) */
    CommandMemoryWatch(String nodeId, HeldAttempts held, ExecSessions sessions, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the memory check interval must be positive, not " + interval);
        }
        this.interval = interval;
        this.nodeId = nodeId;
        this.held = held;
        this.sessions = sessions;
        checks.scheduleWithFixedDelay(this::checkAll, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void checkAll() {
        List<NodeCommand.PlaceJob> places = held.placesCoordinatedElsewhere();
        List<String> keys = places.stream().map(p -> HeldAttempts.key(p.jobId(), p.attempt())).toList();
        over.retainAll(keys);
        rechecks.keySet().retainAll(keys);
        sessions.vmPeaks().retain(keys);
        for (NodeCommand.PlaceJob place : places) {
            try {
                check(place);
            } catch (RuntimeException e) {
                // A throw would end the checks for good; the next interval tries again.
                LOG.error("job {} attempt {}: cannot measure the memory of its commands here", place.jobId(),
                        place.attempt(), e);
            }
        }
    }

    private void check(NodeCommand.PlaceJob place) {
        Optional<MemoryLimit> limit = MemoryLimit.onNode(place.spec(), place.allocation(), nodeId);
        String key = HeldAttempts.key(place.jobId(), place.attempt());
        if (over.contains(key)) {
            return;
        }
        List<Long> pids = sessions.pids(place.jobId(), place.attempt());
        // Every job's, as the script's node samples it (MemoryWatch), whether it asked for memory or not.
        sessions.vmPeaks().sample(place.jobId(), place.attempt(), pids);
        if (limit.isEmpty() || pids.isEmpty()
                || !(ResidentMemory.check(limit.get(), pids, 0, rechecks.computeIfAbsent(key,
                        k -> new ProportionalRecheck(interval))) instanceof MemoryLimit.Exceeded exceeded)) {
            return;
        }
        over.add(key);
        String error = exceeded.errorOn(hostname(place.allocation()));
        int told = sessions.tellOverMemory(place.jobId(), place.attempt(), error);
        if (told == 0) {
            LOG.warn("job {} attempt {}: its commands here {}; killing them (no agent waits for them)",
                    place.jobId(), place.attempt(), error);
            killNow(sessions.processes(place.jobId(), place.attempt()));
            return;
        }
        LOG.warn("job {} attempt {}: its commands here {}; told {} agent(s), so that the attempt ends OUT_OF_MEMORY,"
                + " and killing them once its coordinator took it", place.jobId(), place.attempt(), error, told);
        try {
            checks.schedule(() -> killNow(sessions.processes(place.jobId(), place.attempt())),
                    ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            killNow(sessions.processes(place.jobId(), place.attempt())); // closing: no later than now
        }
    }

    /** SIGKILL to all of them at once, no grace: a job over its memory would only take more of the node meanwhile. */
    static void killNow(List<JobProcesses> processes) {
        for (JobProcesses p : processes) {
            try {
                p.signal(ProcessGroups.Stop.KILL);
            } catch (RuntimeException e) {
                // What is left dies with the attempt's end or its kill-job, which kill the same processes again.
                LOG.error("cannot send SIGKILL to {}", p, e);
            }
        }
    }

    /** This node's host name in the allocation, which users know it by; its id where it has none. */
    private String hostname(Allocation allocation) {
        return allocation.nodes().stream().filter(n -> n.nodeId().equals(nodeId)).map(Allocation.NodeSlots::hostname)
                .filter(h -> h != null && !h.isBlank()).findFirst().orElse(nodeId);
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
