package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The nodes as the core knows them, and the node-timeout reconciler: registration and heartbeats, nodes silent
 * past the timeout, and attempts that a node runs but should not, or should run but does not.
 */
final class NodeLiveness {
    private final Clock clock;
    private final Duration nodeTimeout;
    private final JobEndings endings;
    private final LingeringAttempts lingering;
    private final Map<String, NodeEntry> nodes = new LinkedHashMap<>();
    /** Why each node id's heartbeats are refused, so that a node heard every second is warned of once. */
    private final Map<String, String> refused = new HashMap<>();
    /** Nodes whose clock was last seen far off the head's, warned of once. */
    private final Set<String> skewed = new HashSet<>();
    private final LostAttempts lost;
    /** When tick last ran; null before the first. */
    private Instant lastTick;

    NodeLiveness(Clock clock, Duration nodeTimeout, JobEndings endings, LingeringAttempts lingering) {
        this.clock = clock;
        this.lingering = lingering;
        this.nodeTimeout = nodeTimeout;
        this.endings = endings;
        this.lost = new LostAttempts(clock, nodeTimeout, endings, lingering,
                id -> nodes.containsKey(id) ? nodes.get(id).record().hostname() : id);
    }

    /** Answers to query-attempt and releases of kills: see {@link LostAttempts#released}. */
    Decisions released(JobTable jobs, RunnerEvent.RunnerReleased r) {
        return lost.released(jobs, r);
    }

    void recover(List<NodeRecord> known) {
        Instant now = clock.instant();
        for (NodeRecord n : known) {
            Instant base = n.lastSeen().isAfter(now) ? n.lastSeen() : now;
            nodes.put(n.id(), new NodeEntry(n, base));
        }
        lost.recovered(now);
    }

    /**
     * Registration, liveness and reconciliation: attempts the node runs but should not are killed;
     * confirmed attempts the node no longer runs or holds are lost.
     */
    Decisions heartbeat(JobTable jobs, RunnerEvent.NodeHeartbeat hb) {
        Instant now = clock.instant();
        Decisions d = new Decisions();
        Optional<String> refusal = HostNameClaims.refusal(nodes.values(), hb);
        if (refusal.isPresent()) {
            if (!refusal.get().equals(refused.put(hb.nodeId(), refusal.get()))) {
                d.warn(refusal.get());
            }
            return d;
        }
        refused.remove(hb.nodeId());
        NodeEntry known = nodes.get(hb.nodeId());
        NodeRecord.Drain drain = known != null ? known.record().drain()
                : HostNameClaims.inheritedDrain(nodes.values(), hb, d);
        NodeRecord record = new NodeRecord(hb.nodeId(), hb.hostname(), hb.addresses(), hb.cores(), hb.memoryMb(),
                hb.gpus(), NodeRecord.NodeState.UP, now, null, drain, hb.gpuTypes());
        NodeEntry before = nodes.put(hb.nodeId(), new NodeEntry(record, now));
        if (before == null || !before.up() || !before.record().equals(record)) {
            d.node(record);
        }
        if (lingering.heardFrom(hb.nodeId(), hb.running())) {
            d.freeRoom();
        }
        if (before != null && !before.up()) {
            long stale = hb.running().stream().filter(a -> LostAttempts.stale(jobs.get(a.jobId()), a)).count();
            d.note("node " + hb.hostname() + " (" + hb.nodeId() + ") is back, UP again after "
                    + Duration.between(before.record().lastSeen(), now).toSeconds() + " s without a heartbeat"
                    + (stale == 0 ? "" : "; attempts that ended for the head meanwhile still run there (" + stale
                    + "), and their cores stay taken until they are killed"));
        }
        warnOfSkew(hb, now, d);
        d.addAll(lost.reconcile(jobs, hb, record));
        return d;
    }

    /**
     * A place-job expires after the node timeout by the node's own clock too (the broker's client checks it on
     * receipt): a node whose clock is ahead by that much would drop every one. Told once per node.
     */
    private void warnOfSkew(RunnerEvent.NodeHeartbeat hb, Instant now, Decisions d) {
        Duration off = hb.time() == null ? Duration.ZERO : Duration.between(now, hb.time()).abs();
        if (off.compareTo(nodeTimeout.dividedBy(2)) <= 0) {
            skewed.remove(hb.nodeId());
        } else if (skewed.add(hb.nodeId())) {
            d.warn("node " + hb.hostname() + "'s clock is " + off.toSeconds() + " s off the head's; jobs placed there"
                    + " fail to start once it is off by the node timeout (" + nodeTimeout.toSeconds() + " s): set"
                    + " both clocks by NTP");
        }
    }

    /**
     * Marks nodes silent past the timeout DOWN and fails the jobs they held. When the head itself has not looked
     * for longer than the timeout (a laptop asleep, a stalled process, a clock stepped forward), the silence is
     * its own: the nodes' heartbeats may be waiting unread. Every node then gets a whole timeout again rather than
     * being declared dead, and with it every job it runs.
     */
    Decisions tick(JobTable jobs) {
        Instant now = clock.instant();
        Decisions d = new Decisions();
        for (String held : lingering.expire(now)) {
            d.warn("no word of the kill of " + held + " in " + LingeringAttempts.LIMIT.toMinutes()
                    + " minutes; its slots are free again");
            d.freeRoom();
        }
        Instant previous = lastTick;
        lastTick = now;
        if (previous != null && Duration.between(previous, now).compareTo(nodeTimeout) > 0) {
            nodes.replaceAll((id, n) -> n.up() ? new NodeEntry(n.record(), now) : n);
            lost.restart(now);
            return d;
        }
        for (NodeEntry n : List.copyOf(nodes.values())) {
            if (n.up() && n.deadlineBase().plus(nodeTimeout).isBefore(now)) {
                NodeRecord r = n.record();
                NodeRecord down = new NodeRecord(r.id(), r.hostname(), r.addresses(), r.cores(), r.memoryMb(),
                        r.gpus(), NodeRecord.NodeState.DOWN, r.lastSeen(), "Not responding", r.drain(), r.gpuTypes());
                nodes.put(r.id(), new NodeEntry(down, n.deadlineBase()));
                d.node(down);
                NodeFailureTally failed = new NodeFailureTally();
                for (JobRecord j : List.copyOf(jobs.active())) {
                    if (j.allocation().includes(r.id())) {
                        d.addAll(failed.failSilent(endings, jobs, j, r.id(),
                                "node " + r.hostname() + " stopped responding"));
                    }
                }
                // What it held stays held (LingeringAttempts.forgetNode says why); the kills wait in its queue.
                d.warn("node " + r.hostname() + " (" + r.id() + ") not responding for "
                        + Duration.between(r.lastSeen(), now).toSeconds() + " s, setting DOWN"
                        + (failed.isEmpty() ? "" : "; its jobs: " + failed.summary()));
            }
        }
        d.addAll(lost.tick(jobs));
        return d;
    }

    /**
     * Free resources of UP nodes not drained: capacity less what active jobs hold (a suspended one its memory and
     * GPUs, not its cores), and what ended ones still may. A drained node is left out whole, so neither a placement
     * nor a backfill plan counts on it.
     */
    FreeResources freeResources(JobTable jobs) {
        FreeResources free = new FreeResources();
        for (NodeEntry n : nodes.values()) {
            if (n.up() && !n.drained()) {
                free.add(n.capacity());
            }
        }
        for (JobRecord j : jobs.active()) {
            if (j.state() == JobState.SUSPENDED) {
                free.takeSuspended(j.allocation(), j.spec());
            } else {
                free.take(j.allocation(), j.spec());
            }
        }
        lingering.takeFrom(free);
        return free;
    }

    /** See {@link HostNameClaims#unavailable}. */
    Predicate<String> unavailableNames() {
        return HostNameClaims.unavailable(nodes.values());
    }

    /**
     * Why the job could never run on the nodes known so far (UP or DOWN: DOWN ones come back), or empty when
     * it could, or when no node has registered yet: a head may well start before its nodes.
     */
    Optional<Refusal> neverFits(JobSpec spec) {
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        return ClusterFit.refusal(spec, nodes.values().stream().map(NodeEntry::capacity).toList());
    }

    /**
     * Every known node but the drained ones, all idle, or null when none is drained: a job that does not fit
     * there could run only on drained nodes.
     */
    FreeResources undrainedIdle() {
        if (nodes.values().stream().noneMatch(NodeEntry::drained)) {
            return null;
        }
        return FreeResources.idle(nodes.values().stream().filter(n -> !n.drained()).map(NodeEntry::capacity)
                .toList());
    }

    /** The nodes with this id, or else with this host name. */
    List<NodeRecord> named(String name) {
        NodeEntry byId = nodes.get(name);
        if (byId != null) {
            return List.of(byId.record());
        }
        return records().stream().filter(r -> r.hostname().equals(name)).toList();
    }

    /** Forgets a node deleted by request; heartbeats from it later register it anew. */
    void forget(String id) {
        nodes.remove(id);
        refused.remove(id);
        skewed.remove(id);
        lingering.forgetNode(id);
    }

    /** A known node's record changed by request (drained, resumed); its liveness is as before. */
    void replace(NodeRecord record) {
        nodes.computeIfPresent(record.id(), (id, n) -> new NodeEntry(record, n.deadlineBase()));
    }

    List<NodeRecord> records() {
        return nodes.values().stream().map(NodeEntry::record).toList();
    }
}
