package dev.cadre.node;

import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempts whose end was sent: their outcomes are recorded, then they are forgotten (off the running list, time
 * limit cancelled, directory removed). Ends sent in one message arrive together and are recorded in one SQLite
 * commit instead of one each. A crash before the record leaves the directory, and the next start reports the end
 * again.
 */
final class ReportedEnds {
    private static final Logger LOG = LoggerFactory.getLogger(ReportedEnds.class);
    /** Bounds one transaction; bursts of ends are far smaller than this at any rate a node sees. */
    private static final int MAX_BATCH = 256;
    private final EndedAttempts ended;
    private final Map<String, RunningAttempt> running;
    private final DrainingQueue<Reported> queue;

    private record Reported(RunningAttempt attempt, RunnerEvent outcome) {
    }

    /** @param running the supervisor's running attempts by {@link RunningAttempt#key}, which this removes from */
    ReportedEnds(EndedAttempts ended, Map<String, RunningAttempt> running, Executor executor) {
        this.ended = ended;
        this.running = running;
        this.queue = new DrainingQueue<>(executor, MAX_BATCH, this::forget);
    }

    /**
     * @throws RejectedExecutionException when the executor is shut down: the attempt stays listed and keeps its
     *         directory
     */
    void add(RunningAttempt r, RunnerEvent outcome) {
        queue.add(new Reported(r, outcome));
    }

    private void forget(List<Reported> batch) {
        try {
            ended.recordAll(batch.stream()
                    .map(b -> new EndedAttempts.Outcome(b.attempt().jobId, b.attempt().attempt, b.attempt().jobKey,
                            b.outcome()))
                    .toList());
        } catch (IOException e) {
            // As when the send fails: listed, with their directories, until the next start reports them again.
            LOG.error("could not record the outcomes of {} ended attempts, job {} attempt {} first", batch.size(),
                    batch.get(0).attempt().jobId, batch.get(0).attempt().attempt, e);
            return;
        }
        for (Reported b : batch) {
            RunningAttempt r = b.attempt();
            running.remove(r.key());
            var limit = r.timeLimit;
            if (limit != null) {
                limit.cancel(false);
            }
            var memory = r.memoryWatch;
            if (memory != null) {
                memory.cancel(false);
            }
            try {
                r.dir.delete();
            } catch (IOException e) {
                LOG.error("job {} attempt {}: could not remove its directory {}", r.jobId, r.attempt, r.dir.dir(), e);
            }
        }
    }
}
