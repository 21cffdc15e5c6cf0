package dev.cadre.protocol;

import java.time.Instant;
import java.util.List;

/**
 * The head's scheduling statistics since it started or since they were last reset, as Slurm's sdiag shows
 * slurmctld's: GET /api/diagnostics, sdiag and GET /metrics (docs/operations.md, "Scheduler diagnostics"). Times are in
 * microseconds.
 *
 * @param time when the report was taken
 * @param since when counting began: the head's start or the last reset
 * @param serverThreads the live threads of the head's JVM (broker, scheduler, web and, under cadre up, the node)
 */
public record DiagnosticsReport(Instant time, Instant since, int serverThreads, Jobs jobs, Schedule schedule,
        List<MessageTally> messages) {

    /**
     * What jobs did since {@code since}, each job counted when its state moved so; {@code pending} and {@code running}
     * are what the last pass found (at {@code countedAt}, null before the first pass), whatever the reset.
     *
     * @param started PENDING to RUNNING (a resumed job is not started again)
     * @param failed ended FAILED (OUT_OF_MEMORY, TIMEOUT and NODE_FAIL apart, as Slurm's sdiag counts them)
     * @param requeued moves to REQUEUED: a node failure's requeue, or a user's
     * @param pending records waiting (an array's record holding tasks counts once)
     * @param running records holding nodes: RUNNING, COMPLETING and SUSPENDED
     */
    public record Jobs(long submitted, long started, long completed, long cancelled, long failed, long timedOut,
            long outOfMemory, long nodeFailed, long requeued, int pending, int running, Instant countedAt) {
    }

    /**
     * The scheduling loop's passes: each looks for nodes silent too long, places what may start and stores and sends
     * what it decided.
     *
     * @param totalMicros the time of every pass together
     * @param meanDepth pending jobs the placement policy read per pass, on average
     * @param lastDepth those the last pass read
     * @param lastCycleAt when the last pass ended, null before the first
     */
    public record Schedule(long cycles, long lastMicros, long maxMicros, long meanMicros, long totalMicros,
            long meanDepth, long lastDepth, Instant lastCycleAt) {
    }

    /**
     * One type of message the head's scheduler handled (a request on cadre.submit, an event on cadre.runner.events).
     *
     * @param type its wire name: submit-job, cancel-job, runner-finished, ...
     */
    public record MessageTally(String type, long count, long totalMicros, long averageMicros) {
    }
}
