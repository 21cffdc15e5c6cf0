package dev.cadre.scheduler.core;

import dev.cadre.protocol.DiagnosticsReport;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the head does for sdiag and /metrics (DiagnosticsReport): jobs' moves, scheduling passes and the
 * messages handled, since the head started or since the last reset. Written by the scheduler's threads on their hot
 * paths, so it takes no lock and allocates nothing per job (a message type's first use apart); read and reset from
 * any thread. A reset swaps in a fresh period in one write: a count racing with it lands in the old period and is
 * lost, which a reset means anyway.
 */
public final class SchedulerStatistics {
    private static final JobState[] STATES = JobState.values();

    private final Clock clock;
    private volatile Period period;
    /** What the last pass found; a reset keeps it, as these are how things stand, not counts. */
    private volatile Standing standing;

    private record Standing(int pending, int running, Instant at) {
    }

    private static final class Period {
        final Instant since;
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong started = new AtomicLong();
        /** Moves into each state, by its ordinal. */
        final AtomicLongArray reached = new AtomicLongArray(STATES.length);
        final AtomicLong cycles = new AtomicLong();
        final AtomicLong cycleNanos = new AtomicLong();
        final AtomicLong maxCycleNanos = new AtomicLong();
        final AtomicLong depthSum = new AtomicLong();
        volatile long lastCycleNanos;
        volatile long lastDepth;
        volatile Instant lastCycleAt;
        final Map<String, Tally> messages = new ConcurrentHashMap<>();

        Period(Instant since) {
            this.since = since;
        }
    }

    private static final class Tally {
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    public SchedulerStatistics(Clock clock) {
        this.clock = clock;
        this.period = new Period(clock.instant());
        this.standing = new Standing(0, 0, null);
    }

    /** Jobs stored from new submissions (a resubmission that found its job is none). */
    public void submitted(int jobs) {
        period.submitted.addAndGet(jobs);
    }

    /** The changes of a decision once stored; only moves of state count. */
    public void decided(List<JobChange> changes) {
        Period p = period;
        for (int i = 0; i < changes.size(); i++) {
            JobChange c = changes.get(i);
            JobState now = c.job().state();
            if (now == c.previous()) {
                continue;
            }
            p.reached.incrementAndGet(now.ordinal());
            if (now == JobState.RUNNING && c.previous() == JobState.PENDING) {
                p.started.incrementAndGet();
            }
        }
    }

    /**
     * One pass of the scheduling loop.
     *
     * @param nanos how long it took
     * @param depth the pending jobs its placement policy read
     * @param pending records pending once it ended
     * @param running records holding nodes once it ended
     */
    public void passed(long nanos, int depth, int pending, int running) {
        Period p = period;
        Instant now = clock.instant();
        p.cycles.incrementAndGet();
        p.cycleNanos.addAndGet(nanos);
        p.maxCycleNanos.accumulateAndGet(nanos, Math::max);
        p.depthSum.addAndGet(depth);
        p.lastCycleNanos = nanos;
        p.lastDepth = depth;
        p.lastCycleAt = now;
        standing = new Standing(pending, running, now);
    }

    /**
     * Messages of one type handled, and the time they took together.
     *
     * @param type the wire name (submit-job, runner-finished, ...)
     */
    public void handled(String type, long count, long nanos) {
        if (count <= 0) {
            return;
        }
        Map<String, Tally> messages = period.messages;
        Tally t = messages.get(type);
        if (t == null) {
            t = messages.computeIfAbsent(type, k -> new Tally());
        }
        t.count.add(count);
        t.nanos.add(nanos);
    }

    /** Starts a new period now. */
    public void reset() {
        period = new Period(clock.instant());
    }

    /**
     * @param serverThreads the head's live threads, which the shell knows
     */
    public DiagnosticsReport report(int serverThreads) {
        Period p = period;
        Standing s = standing;
        long cycles = p.cycles.get();
        var jobs = new DiagnosticsReport.Jobs(p.submitted.get(), p.started.get(), reached(p, JobState.COMPLETED),
                reached(p, JobState.CANCELLED), reached(p, JobState.FAILED), reached(p, JobState.TIMEOUT),
                reached(p, JobState.OUT_OF_MEMORY), reached(p, JobState.NODE_FAIL), reached(p, JobState.REQUEUED),
                s.pending(), s.running(), s.at());
        long total = micros(p.cycleNanos.get());
        var schedule = new DiagnosticsReport.Schedule(cycles, micros(p.lastCycleNanos), micros(p.maxCycleNanos.get()),
                cycles == 0 ? 0 : total / cycles, total, cycles == 0 ? 0 : p.depthSum.get() / cycles, p.lastDepth,
                p.lastCycleAt);
        List<DiagnosticsReport.MessageTally> messages = new ArrayList<>();
        p.messages.forEach((type, t) -> {
            long count = t.count.sum();
            long micros = micros(t.nanos.sum());
            messages.add(new DiagnosticsReport.MessageTally(type, count, micros, count == 0 ? 0 : micros / count));
        });
        // sdiag's default order: the most frequent first.
        messages.sort(Comparator.comparingLong(DiagnosticsReport.MessageTally::count).reversed()
                .thenComparing(DiagnosticsReport.MessageTally::type));
        return new DiagnosticsReport(clock.instant(), p.since, serverThreads, jobs, schedule, List.copyOf(messages));
    }

    private static long reached(Period p, JobState state) {
        return p.reached.get(state.ordinal());
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
