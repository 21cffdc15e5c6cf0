package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The scheduler's decisions, without I/O: it holds unfinished jobs and known nodes in memory and turns
 * submissions, cancels, runner events and the passing of time into {@link Decisions}. Not thread-safe:
 * the service calls it from one thread at a time. Jobs are ordered by id (first come, first served).
 */
public final class SchedulerCore {
    private final Clock clock;
    private final PlacementPolicy policy;
    private final Duration nodeTimeout;
    private final BiFunction<Long, Integer, String> execTokens;
    private final JobTable jobs = new JobTable();
    private final Map<String, NodeEntry> nodes = new LinkedHashMap<>();
    private final JobEndings endings;
    /** What the last pass said of the jobs it did not look at; see {@link #reasonForNewJob}. */
    private String newcomersWait;

    /** @param execTokens the job-scoped exec token of (job id, attempt) */
    public SchedulerCore(Clock clock, PlacementPolicy policy, Duration nodeTimeout,
            BiFunction<Long, Integer, String> execTokens) {
        this.clock = clock;
        this.policy = policy;
        this.nodeTimeout = nodeTimeout;
        this.execTokens = execTokens;
        this.endings = new JobEndings(clock);
    }

    /**
     * Loads stored state after a start. Messages that a crash may have kept from being sent are sent again:
     * place-job for attempts the node never confirmed, kill-job for kills not yet confirmed. Node-runners
     * ignore repeats, so sending twice is safe; not sending could strand a job.
     */
    public Decisions recover(List<JobRecord> unfinished, List<NodeRecord> known) {
        Instant now = clock.instant();
        for (NodeRecord n : known) {
            Instant base = n.lastSeen().isAfter(now) ? n.lastSeen() : now;
            nodes.put(n.id(), new NodeEntry(n, base));
        }
        Decisions d = new Decisions();
        for (JobRecord j : unfinished) {
            jobs.put(j);
            if (j.state() == JobState.RUNNING && !j.launchConfirmed()) {
                placeJob(j).forEach(d::send);
            } else if (j.state() == JobState.COMPLETING) {
                killJob(j, JobState.valueOf(j.reason())).forEach(d::send);
            }
        }
        return d;
    }

    /** A job was stored; it takes part in the next placement pass. */
    public void admitted(JobRecord job) {
        if (!job.state().isTerminal()) {
            jobs.put(job);
        }
    }

    /** One placement pass: starts what fits and records why the rest wait. */
    public Decisions schedule() {
        Instant now = clock.instant();
        Decisions d = new Decisions();
        if (jobs.pending().isEmpty()) {
            return d;
        }
        PlacementPolicy.Result result = policy.place(jobs.pending(), freeResources());
        newcomersWait = result.othersWait();
        for (Placement p : result.placements()) {
            JobRecord j = jobs.get(p.jobId());
            int attempt = j.attempt() + 1;
            JobRecord started = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null, attempt,
                    p.allocation(), false, null, null, j.submitTime(), now, null);
            jobs.put(started);
            d.change(new JobChange(started, j.state(), now, new AttemptRecord(j.id(), attempt,
                    p.allocation().hostnames(), now, null, JobState.RUNNING, null, null, null)));
            placeJob(started).forEach(d::send);
        }
        for (var e : result.waitReasons().entrySet()) {
            relabel(d, jobs.get(e.getKey()), e.getValue(), now);
        }
        if (result.othersWait() != null) {
            for (Long id : jobs.pendingWithReasonOtherThan(result.othersWait())) {
                if (!result.waitReasons().containsKey(id)) {
                    relabel(d, jobs.get(id), result.othersWait(), now);
                }
            }
        }
        return d;
    }

    /**
     * The reason a job admitted now would get from the next pass, as far as the last pass tells: behind a
     * blocked queue a newcomer waits too. Admitting it with that reason spares a relabelling write and event
     * per job when jobs arrive faster than they can start; the next pass corrects it either way.
     */
    public String reasonForNewJob() {
        return newcomersWait != null && !jobs.pending().isEmpty() ? newcomersWait : "None";
    }

    private void relabel(Decisions d, JobRecord j, String reason, Instant now) {
        if (!reason.equals(j.reason())) {
            JobRecord waiting = j.withState(JobState.PENDING, reason);
            jobs.put(waiting);
            d.change(new JobChange(waiting, JobState.PENDING, now, null));
        }
    }

    public record CancelOutcome(Decisions decisions, ClientReply.CancelResult result) {
    }

    /** Pending jobs end at once; running ones are killed and end when their node confirms. */
    public CancelOutcome cancel(long jobId) {
        Decisions d = new Decisions();
        JobRecord j = jobs.get(jobId);
        if (j == null) {
            return new CancelOutcome(d, new ClientReply.CancelResult(jobId, false, null,
                    "job " + jobId + " is unknown or already finished"));
        }
        return switch (j.state()) {
            case PENDING, REQUEUED -> {
                d.addAll(endings.end(jobs, j, JobState.CANCELLED, "CancelledByUser", null, null, null));
                yield new CancelOutcome(d, new ClientReply.CancelResult(jobId, true, JobState.CANCELLED, null));
            }
            case RUNNING -> {
                d.addAll(stop(j, JobState.CANCELLED));
                yield new CancelOutcome(d, new ClientReply.CancelResult(jobId, true, JobState.COMPLETING, null));
            }
            default -> new CancelOutcome(d, new ClientReply.CancelResult(jobId, true, j.state(),
                    "job " + jobId + " is already being stopped"));
        };
    }

    /** Orders the kill of a running attempt; the job shows COMPLETING until the node confirms. */
    private Decisions stop(JobRecord j, JobState endAs) {
        Decisions d = new Decisions();
        JobRecord stopping = j.withState(JobState.COMPLETING, endAs.name());
        jobs.put(stopping);
        d.change(new JobChange(stopping, j.state(), clock.instant(), null));
        killJob(stopping, endAs).forEach(d::send);
        return d;
    }

    public Decisions onRunnerEvent(RunnerEvent event) {
        if (event instanceof RunnerEvent.NodeHeartbeat hb) {
            return heartbeat(hb);
        }
        if (event instanceof RunnerEvent.RunnerRunning r) {
            return current(r.jobId(), r.attempt()).map(this::confirmLaunch).orElseGet(Decisions::new);
        }
        if (event instanceof RunnerEvent.RunnerFinished f) {
            return current(f.jobId(), f.attempt()).map(j -> endings.finished(jobs, j, f)).orElseGet(Decisions::new);
        }
        RunnerEvent.RunnerFailed f = (RunnerEvent.RunnerFailed) event;
        return current(f.jobId(), f.attempt())
                .map(j -> endings.end(jobs, j, JobState.FAILED, "LaunchFailed", null, null, f.error()))
                .orElseGet(Decisions::new);
    }

    private Optional<JobRecord> current(long jobId, int attempt) {
        JobRecord j = jobs.get(jobId);
        return j != null && j.attempt() == attempt && j.state().isActive() ? Optional.of(j) : Optional.empty();
    }

    private Decisions confirmLaunch(JobRecord j) {
        Decisions d = new Decisions();
        if (!j.launchConfirmed()) {
            JobRecord confirmed = new JobRecord(j.id(), j.submissionKey(), j.spec(), j.state(), j.reason(),
                    j.attempt(), j.allocation(), true, null, null, j.submitTime(), j.startTime(), null);
            jobs.put(confirmed);
            d.change(new JobChange(confirmed, j.state(), clock.instant(), null));
        }
        return d;
    }

    /**
     * Registration, liveness and reconciliation: attempts the node runs but should not are killed;
     * confirmed attempts the node no longer runs or holds are lost.
     */
    private Decisions heartbeat(RunnerEvent.NodeHeartbeat hb) {
        Instant now = clock.instant();
        Decisions d = new Decisions();
        NodeRecord record = new NodeRecord(hb.nodeId(), hb.hostname(), hb.addresses(), hb.cores(), hb.memoryMb(),
                hb.gpus(), NodeRecord.NodeState.UP, now, null);
        NodeEntry before = nodes.put(hb.nodeId(), new NodeEntry(record, now));
        if (before == null || !before.up() || !before.record().equals(record)) {
            d.node(record);
        }
        Set<Long> reported = new HashSet<>();
        for (RunnerEvent.RunningAttempt a : hb.running()) {
            reported.add(a.jobId());
            JobRecord j = jobs.get(a.jobId());
            if (j == null || j.attempt() != a.attempt() || !j.state().isActive()) {
                d.send(new Outgoing(Destinations.nodeQueue(hb.nodeId()),
                        new NodeCommand.KillJob(a.jobId(), a.attempt(), JobState.CANCELLED)));
            }
        }
        for (JobRecord j : List.copyOf(jobs.active())) {
            if (!j.launchConfirmed() || reported.contains(j.id()) || !j.allocation().includes(hb.nodeId())) {
                continue;
            }
            boolean coordinator = j.allocation().coordinator().nodeId().equals(hb.nodeId());
            // Another node (restarted, its MPI daemons gone) is judged only while the job runs and once it
            // has had a node timeout to take the place-job, which it does on its own thread.
            if (coordinator || j.state() == JobState.RUNNING && j.startTime() != null
                    && j.startTime().plus(nodeTimeout).isBefore(now)) {
                d.addAll(endings.nodeFailed(jobs, j, "node " + hb.hostname() + " no longer "
                        + (coordinator ? "runs" : "holds") + " attempt " + j.attempt()));
            }
        }
        return d;
    }

    /** Marks nodes silent past the timeout DOWN and fails the jobs they held. */
    public Decisions tick() {
        Instant now = clock.instant();
        Decisions d = new Decisions();
        for (NodeEntry n : List.copyOf(nodes.values())) {
            if (n.up() && n.deadlineBase().plus(nodeTimeout).isBefore(now)) {
                NodeRecord r = n.record();
                NodeRecord down = new NodeRecord(r.id(), r.hostname(), r.addresses(), r.cores(), r.memoryMb(),
                        r.gpus(), NodeRecord.NodeState.DOWN, r.lastSeen(), "Not responding");
                nodes.put(r.id(), new NodeEntry(down, n.deadlineBase()));
                d.node(down);
                for (JobRecord j : List.copyOf(jobs.active())) {
                    if (j.allocation().includes(r.id())) {
                        d.addAll(endings.nodeFailed(jobs, j, "node " + r.hostname() + " stopped responding"));
                    }
                }
            }
        }
        return d;
    }

    /** Free resources of UP nodes: capacity less what active jobs hold. */
    FreeResources freeResources() {
        FreeResources free = new FreeResources();
        for (NodeEntry n : nodes.values()) {
            if (n.up()) {
                free.add(n.capacity());
            }
        }
        for (JobRecord j : jobs.active()) {
            free.take(j.allocation(), j.spec().wholeNodes());
        }
        return free;
    }

    /**
     * Why the job could never run on the nodes known so far (UP or DOWN: DOWN ones come back), or empty when
     * it could, or when no node has registered yet: a head may well start before its nodes.
     */
    public Optional<JobSpecValidator.Problem> neverFits(JobSpec spec) {
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        return ClusterFit.judge(spec, nodes.values().stream().map(NodeEntry::capacity).toList());
    }

    /**
     * To every node of the allocation: the coordinator launches, the others learn the attempt and its exec
     * token, so that they run its remote commands and nothing else.
     */
    private List<Outgoing> placeJob(JobRecord j) {
        Allocation a = j.allocation();
        var place = new NodeCommand.PlaceJob(j.id(), j.attempt(), j.spec(), a, execTokens.apply(j.id(), j.attempt()));
        return a.nodeIds().stream().map(n -> new Outgoing(Destinations.nodeQueue(n), place)).toList();
    }

    /** To every node of the allocation: each kills what the attempt started there. */
    private static List<Outgoing> killJob(JobRecord j, JobState endAs) {
        var kill = new NodeCommand.KillJob(j.id(), j.attempt(), endAs);
        return j.allocation().nodeIds().stream().map(n -> new Outgoing(Destinations.nodeQueue(n), kill)).toList();
    }

    public Optional<JobRecord> job(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public List<NodeRecord> nodes() {
        return nodes.values().stream().map(NodeEntry::record).toList();
    }
}
