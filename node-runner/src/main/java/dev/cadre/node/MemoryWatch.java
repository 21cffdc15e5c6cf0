package dev.cadre.node;

import dev.cadre.node.core.MemoryLimit;
import dev.cadre.node.core.ProportionalRecheck;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces each attempt's memory request on this node by measuring ({@link MemoryLimit}): every interval it sums the
 * resident memory of all the attempt's processes here ({@link ResidentMemory}, the processes of its cgroup or its
 * session, and of the remote commands it runs here, as srun's tasks) and kills the attempt at once when the sum is
 * over the request; its end then reports OUT_OF_MEMORY. The other nodes of a job do the same for its remote commands
 * there ({@link CommandMemoryWatch}). A job may go over its request for up to one interval before it is seen: the
 * kernel would stop it at the limit only with a cgroup memory.max, which needs a memory controller this node may not
 * have. In the same pass it samples every attempt's virtual memory size here, limited or not, and keeps the largest
 * for its usage ({@code maxVmSizeBytes}, protocol.md 10.2), as Slurm's jobacct_gather samples MaxVMSize.
 */
final class MemoryWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryWatch.class);
    /** The interval when none is given: Slurm's JobAcctGatherFrequency is 30 s, too long for a job to overrun. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private final ScheduledExecutorService checks;
    private final Duration interval;
    private final AttemptStopper stopper;
    /** Whether the attempt is still the supervisor's. */
    private final Predicate<RunningAttempt> stillRunning;
    /** Null until the node joins remote exec. */
    private volatile RemoteCommands remoteCommands;

    /** Where the processes of an attempt's remote commands on this node are: srun's tasks run here as those. */
    interface RemoteCommands {
        List<JobProcesses> processes(long jobId, int attempt);

        /** The pids of the commands' wrappers: Cadre's, their memory not the job's. */
        Set<Long> wrappers(long jobId, int attempt);

        /** The pids of the attempt's commands here, their wrappers left out, as a batch job's wrapper is. */
        default List<Long> pids(long jobId, int attempt) {
            Set<Long> wrappers = wrappers(jobId, attempt);
            return processes(jobId, attempt).stream().flatMap(p -> p.pids().stream())
                    .filter(p -> !wrappers.contains(p)).distinct().toList();
        }
    }

    MemoryWatch(Duration interval, AttemptStopper stopper, Predicate<RunningAttempt> stillRunning) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the memory check interval must be positive, not " + interval);
        }
        // Apart from the time limits: a check reads /proc, which must not delay a limit that is due.
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cadre-memory-checks");
            t.setDaemon(true);
            return t;
        });
        // Each attempt's checks are cancelled at its end; they must not linger.
        timer.setRemoveOnCancelPolicy(true);
        this.checks = timer;
        this.interval = interval;
        this.stopper = stopper;
        this.stillRunning = stillRunning;
    }

    /** Counts the attempts' remote commands here ({@link ExecSessions#processes}) with their own processes. */
    void measureRemoteCommands(RemoteCommands commands) {
        this.remoteCommands = commands;
    }

    /**
     * Starts checking the attempt against the job's limit on this node ({@link MemoryLimit#onNode}: an exclusive job's
     * --mem-per-cpu counts this node's CPUs), and, for every job, sampling its virtual memory size for its usage's
     * {@code maxVmSizeBytes}, as Slurm's jobacct_gather samples MaxVMSize.
     */
    void watch(RunningAttempt r, NodeCommand.PlaceJob place, String nodeId) {
        Optional<MemoryLimit> limit = MemoryLimit.onNode(place.spec(), place.allocation(), nodeId);
        try {
            ProportionalRecheck recheck = new ProportionalRecheck(interval);
            // A limit is checked from the start; a size only sampled waits an interval, so that the many jobs
            // shorter than that (docs/benchmarks.md's throughput run) cost no walk of their processes.
            long first = limit.isPresent() ? 0 : interval.toMillis();
            r.memoryWatch = checks.scheduleWithFixedDelay(() -> check(r, limit.orElse(null), recheck), first,
                    interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The supervisor is closing: the next runner adopts the attempt and watches it.
            LOG.debug("job {} attempt {}: not watched, the supervisor is closing", r.jobId, r.attempt);
        }
    }

    /** @param limit the job's limit on this node; null when it asked for no memory, whose size is only sampled */
    private void check(RunningAttempt r, MemoryLimit limit, ProportionalRecheck recheck) {
        if (r.killedFor != null || r.wrapperEnded || !stillRunning.test(r)) {
            var watch = r.memoryWatch;
            if (watch != null) {
                watch.cancel(false);
            }
            return;
        }
        try {
            List<Long> pids = new ArrayList<>(r.processes.pids());
            RemoteCommands commands = remoteCommands;
            if (commands != null) {
                pids.addAll(commands.pids(r.jobId, r.attempt));
            }
            Long vmSize = ResidentMemory.virtualSize(pids, r.wrapper.pid());
            if (vmSize != null && (r.maxVmSizeBytes == null || vmSize > r.maxVmSizeBytes)) {
                r.maxVmSizeBytes = vmSize;
            }
            if (limit != null && ResidentMemory.check(limit, pids, r.wrapper.pid(), recheck)
                    instanceof MemoryLimit.Exceeded over) {
                stopper.killNow(r, JobState.OUT_OF_MEMORY, over.error());
            }
        } catch (RuntimeException e) {
            // A throw would end the checks for good; the next interval tries again.
            LOG.error("job {} attempt {}: cannot measure its memory", r.jobId, r.attempt, e);
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
