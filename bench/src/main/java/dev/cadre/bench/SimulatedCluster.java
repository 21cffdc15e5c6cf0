package dev.cadre.bench;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.scheduler.core.AdvanceReservations;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.JobHistory;
import dev.cadre.scheduler.core.Outgoing;
import dev.cadre.scheduler.core.PlacementPolicy;
import dev.cadre.scheduler.core.SchedulerCore;
import dev.cadre.scheduler.core.SchedulerSettings;
import dev.cadre.scheduler.core.StartForecast;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * {@link SchedulerCore} on simulated nodes that answer it as node-runners do, on a clock the benchmark moves: the
 * figures measure the core, not waiting. A job ends with its coordinator's runner-finished, and every other node
 * of its allocation answers the kill-job the core then sends with runner-released (node-runner's
 * {@code NodeCommands.kill} for an attempt it does not run); until that answer the core keeps the node's slots
 * taken, so a driver that left it out would fill the cluster with slots nobody uses.
 */
final class SimulatedCluster {
    static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    /** Simulated time, moved only by {@link #advance}. */
    private static final class SimClock extends Clock {
        private Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final SimClock clock = new SimClock();
    private final SchedulerCore core;
    private final long totalCores;
    private final List<Long> running = new ArrayList<>();
    private long coresInUse;
    private long pending;

    SimulatedCluster(PlacementPolicy.Kind policy, int nodeCount, int coresPerNode) {
        this(SchedulerSettings.defaults(Duration.ofDays(1)).withPolicy(policy), nodeCount, coresPerNode);
    }

    SimulatedCluster(SchedulerSettings settings, int nodeCount, int coresPerNode) {
        core = new SchedulerCore(clock, settings, (id, attempt) -> "t", JobHistory.NONE);
        for (int n = 0; n < nodeCount; n++) {
            core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("node" + n, "node" + n, List.of(), coresPerNode,
                    256_000, 0, List.of(), clock.instant()));
        }
        totalCores = (long) nodeCount * coresPerNode;
    }

    void admit(long id, JobSpec spec) {
        core.admitted(new JobRecord(id, "k" + id, spec, JobState.PENDING, "None", 0, null, false, null, null, START,
                null, null));
        pending++;
    }

    /**
     * Takes the first {@code count} nodes out for maintenance (scontrol create reservation Flags=MAINT) from
     * {@code in} after now for {@code lasting}, as an operator would.
     */
    void maintenance(int count, Duration in, Duration lasting) {
        AdvanceReservations.Outcome o = core.judge(new ReservationRequest.CreateReservation("maint",
                clock.instant().plus(in), null, lasting.toSeconds(), "node[0-" + (count - 1) + "]",
                List.of("root"), List.of(AdvanceReservation.MAINT), "root", true));
        if (!o.reply().ok()) {
            throw new IllegalStateException("the maintenance reservation was refused: " + o.reply().reason());
        }
        core.reservations().apply(o);
    }

    /** Ends a pending job by the user's cancel, as scancel does. */
    void cancelPending(long id) {
        if (!core.cancel(id).result().ok() || core.job(id).isPresent()) {
            throw new IllegalStateException("job " + id + " was not cancelled");
        }
        pending--;
    }

    void advance(Duration by) {
        clock.now = clock.now.plus(by);
    }

    /** One placement pass, left for {@link #recordStarts} so that a caller can time the pass alone. */
    Decisions schedule() {
        return core.schedule();
    }

    /** squeue --start's plan, taken and planned at once: changes nothing. */
    List<StartForecast.Start> forecast() {
        return core.forecast();
    }

    /** What the head takes of squeue --start under its lock; its plan is made after, off the lock. */
    StartForecast startForecast() {
        return core.startForecast();
    }

    Instant now() {
        return clock.instant();
    }

    /** @return how many jobs the pass started */
    int recordStarts(Decisions pass) {
        int n = 0;
        for (JobChange c : pass.changes()) {
            if (c.movesState() && c.job().state() == JobState.RUNNING) {
                running.add(c.job().id());
                coresInUse += cores(c.job().allocation());
                pending--;
                n++;
            }
        }
        return n;
    }

    /** Takes a random share of the running jobs out of the running list, for {@link #end} to end. */
    List<Long> pickEnding(Random rnd, int count) {
        Collections.shuffle(running, rnd);
        List<Long> out = new ArrayList<>(running.subList(Math.max(0, running.size() - count), running.size()));
        running.subList(running.size() - out.size(), running.size()).clear();
        return out;
    }

    /** The job's script exits 0 on its coordinator; its other nodes then confirm the kill they are sent. */
    void end(long id) {
        JobRecord j = core.job(id).orElseThrow();
        Decisions d = core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, j.attempt(),
                j.allocation().coordinator().nodeId(), 0, 0, null, clock.instant(), null));
        for (Outgoing o : d.messages()) {
            if (o.message() instanceof NodeCommand.KillJob kill && o.destination().startsWith(Destinations.NODE_PREFIX)) {
                String node = o.destination().substring(Destinations.NODE_PREFIX.length());
                core.onRunnerEvent(new RunnerEvent.RunnerReleased(kill.jobId(), kill.attempt(), node,
                        clock.instant()));
            }
        }
        coresInUse -= cores(j.allocation());
    }

    int runningJobs() {
        return running.size();
    }

    long coresInUse() {
        return coresInUse;
    }

    long totalCores() {
        return totalCores;
    }

    long pendingJobs() {
        return pending;
    }

    /** Jobs running, cores they hold and jobs waiting, for a report line: a drained or jammed cluster shows. */
    String occupancy() {
        return String.format("%,d jobs running on %,d of %,d cores (%.0f %%), %,d pending", running.size(),
                coresInUse, totalCores, 100.0 * coresInUse / totalCores, pending);
    }

    private static long cores(Allocation a) {
        return a.nodes().stream().mapToLong(Allocation.NodeSlots::cpus).sum();
    }
}
