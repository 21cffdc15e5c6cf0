package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.GpuTypes;
import dev.cadre.protocol.JobRecord;
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
import java.util.function.Function;

/**
 * What a heartbeat says of attempts: those a node runs but should not are killed, their slots held until it
 * confirms; those it should run but does not list are asked of their coordinator (query-attempt), which answers
 * with the end it recorded, applied as any runner-finished, or with runner-released when it has none: only then,
 * or when no answer comes within the node timeout, is the attempt lost (NODE_FAIL).
 */
final class LostAttempts {
    private final Clock clock;
    private final Duration nodeTimeout;
    private final JobEndings endings;
    private final LingeringAttempts lingering;
    private final AttemptInquiries inquiries = new AttemptInquiries();
    /** Host names by node id, for the log. */
    private final Function<String, String> hostOf;
    /** Attempts lost on the coordinators' own word since the last tick, by node id: one log line each per tick. */
    private final Map<String, NodeFailureTally> unknownToNode = new LinkedHashMap<>();
    /** When the place-jobs of unconfirmed attempts were last sent: at placement, or again by a recovered head. */
    private Instant resent = Instant.MIN;

    LostAttempts(Clock clock, Duration nodeTimeout, JobEndings endings, LingeringAttempts lingering,
            Function<String, String> hostOf) {
        this.clock = clock;
        this.nodeTimeout = nodeTimeout;
        this.endings = endings;
        this.lingering = lingering;
        this.hostOf = hostOf;
    }

    /** An attempt the node lists that has ended for the head, or that it never knew. */
    static boolean stale(JobRecord j, RunnerEvent.RunningAttempt a) {
        return j == null || j.attempt() != a.attempt() || !j.state().isActive();
    }

    /** A recovered head sent the place-jobs of unconfirmed attempts again now; their expiry counts from here. */
    void recovered(Instant now) {
        resent = now;
    }

    Decisions reconcile(JobTable jobs, RunnerEvent.NodeHeartbeat hb, NodeRecord node) {
        Instant now = clock.instant();
        Decisions d = new Decisions();
        Set<Long> reported = new HashSet<>();
        List<String> killed = new ArrayList<>();
        NodeFailureTally lostHere = new NodeFailureTally();
        for (RunnerEvent.RunningAttempt a : hb.running()) {
            reported.add(a.jobId());
            JobRecord j = jobs.get(a.jobId());
            if (stale(j, a)) {
                // An attempt whose kill is under way here is listed until its processes are gone; one kill is enough.
                if (!lingering.lingers(a.jobId(), a.attempt(), hb.nodeId())) {
                    holdForKill(j, a, node, now);
                    d.send(new Outgoing(Destinations.nodeQueue(hb.nodeId()),
                            new NodeCommand.KillJob(a.jobId(), a.attempt(), JobState.CANCELLED)));
                    killed.add(a.jobId() + " attempt " + a.attempt());
                }
                continue;
            }
            Optional<AttemptInquiries.Inquiry> asked = inquiries.of(j.id(), j.attempt());
            if (asked.isPresent() && asked.get().coordinator().equals(hb.nodeId())) {
                inquiries.close(j.id());
                if (!asked.get().lostOn().equals(hb.nodeId())) {
                    // The coordinator runs it, so it has no end to give: the other node lost its part.
                    d.addAll(lostHere.fail(endings, jobs, j, asked.get().why()));
                }
            }
        }
        if (!killed.isEmpty()) {
            d.warn("node " + hb.hostname() + " still runs attempts that ended for the head (requeued, failed or"
                    + " cancelled while it was away); killing them: " + ShortList.of(killed));
        }
        List<Long> queried = new ArrayList<>();
        for (JobRecord j : List.copyOf(jobs.active())) {
            if (reported.contains(j.id()) || !j.allocation().includes(hb.nodeId())) {
                continue;
            }
            boolean coordinator = j.allocation().coordinator().nodeId().equals(hb.nodeId());
            if (!j.launchConfirmed()) {
                if (coordinator && placeJobLapsed(j, now)) {
                    d.addAll(lostHere.fail(endings, jobs, j, "node " + hb.hostname() + " did not take the place-job"
                            + " of attempt " + j.attempt() + " before it expired"));
                }
                continue;
            }
            // Another node (restarted, its MPI daemons gone) is judged only while the job runs and once it
            // has had a node timeout to take the place-job, which it does on its own thread.
            if (coordinator || j.state() == JobState.RUNNING && j.startTime() != null
                    && j.startTime().plus(nodeTimeout).isBefore(now)) {
                String why = "node " + hb.hostname() + " no longer " + (coordinator ? "runs" : "holds") + " attempt "
                        + j.attempt();
                if (inquiries.ask(j, hb.nodeId(), why, now)) {
                    d.send(NodeMessages.query(j));
                    queried.add(j.id());
                }
            }
        }
        if (!queried.isEmpty()) {
            d.note("node " + hb.hostname() + " no longer lists attempts the head believed running, of jobs "
                    + ShortList.of(queried) + "; asking their coordinators for the ends they recorded");
        }
        if (!lostHere.isEmpty()) {
            d.warn("node " + hb.hostname() + " lost attempts of jobs: " + lostHere.summary());
        }
        return d;
    }

    /**
     * A place-job goes with a time to live of the node timeout (Dispatcher): once that and another timeout for
     * the node's events to arrive have passed, an attempt still unconfirmed will never start.
     */
    private boolean placeJobLapsed(JobRecord j, Instant now) {
        Instant sent = j.startTime() == null || j.startTime().isBefore(resent) ? resent : j.startTime();
        return sent.plus(nodeTimeout.multipliedBy(2)).isBefore(now);
    }

    /**
     * Holds what a stale attempt takes on the node until the node confirms its kill. Its slots are known while it
     * is the job's current attempt; otherwise (the job moved on, or a restarted head never knew it) the node is held
     * whole for the kill's grace period, as new work beside an unknown attempt could find its cores taken.
     */
    private void holdForKill(JobRecord j, RunnerEvent.RunningAttempt a, NodeRecord node, Instant now) {
        Allocation.NodeSlots mine = j == null || j.attempt() != a.attempt() || j.allocation() == null ? null
                : j.allocation().nodes().stream().filter(s -> s.nodeId().equals(node.id())).findFirst().orElse(null);
        if (mine != null) {
            lingering.hold(a.jobId(), a.attempt(), mine, j.spec().wholeNodes(), now);
        } else {
            Map<String, Integer> types = GpuTypes.counts(node.gpuTypes());
            lingering.hold(a.jobId(), a.attempt(), new Allocation.NodeSlots(node.id(), node.hostname(), 0,
                    node.cores(), node.gpus(), node.memoryMb(), types.isEmpty() ? null : types), true, now);
        }
    }

    /** A runner-released from the coordinator of an attempt asked about: it has no record of its end. */
    Decisions released(JobTable jobs, RunnerEvent.RunnerReleased r) {
        Decisions d = new Decisions();
        Optional<AttemptInquiries.Inquiry> asked = inquiries.of(r.jobId(), r.attempt());
        if (asked.isEmpty() || !asked.get().coordinator().equals(r.nodeId())) {
            return d;
        }
        inquiries.close(r.jobId());
        JobRecord j = jobs.get(r.jobId());
        if (!stale(j, new RunnerEvent.RunningAttempt(r.jobId(), r.attempt()))) {
            d.addAll(unknownToNode.computeIfAbsent(r.nodeId(), n -> new NodeFailureTally())
                    .fail(endings, jobs, j, asked.get().why() + ", and it has no record of its end"));
        }
        return d;
    }

    /** Logs the answers since the last tick, and fails the attempts whose coordinator did not answer in time. */
    Decisions tick(JobTable jobs) {
        Decisions d = new Decisions();
        unknownToNode.forEach((node, tally) -> d.warn("node " + hostOf.apply(node) + " has no record of the end of"
                + " attempts the head believed running: " + tally.summary()));
        unknownToNode.clear();
        NodeFailureTally silent = new NodeFailureTally();
        for (AttemptInquiries.Inquiry i : inquiries.unanswered(clock.instant(), nodeTimeout)) {
            JobRecord j = jobs.get(i.jobId());
            if (!stale(j, new RunnerEvent.RunningAttempt(i.jobId(), i.attempt()))) {
                d.addAll(silent.fail(endings, jobs, j, i.why() + ", and its coordinator did not say how it ended"));
            }
        }
        if (!silent.isEmpty()) {
            d.warn("no answer within " + nodeTimeout.toSeconds() + " s on how attempts ended that their nodes no longer"
                    + " list: " + silent.summary());
        }
        return d;
    }

    /** The head was not looking: the answers may wait unread. */
    void restart(Instant now) {
        inquiries.restart(now);
    }
}
