package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attempts that have ended for the scheduler while a node may still be stopping their processes: the other nodes
 * of a multi-node job that ended, or every node of one that failed or was requeued. Their slots stay taken until
 * the node confirms that nothing of the attempt runs there (Slurm keeps such nodes COMPLETING), so a new job is
 * never placed beside ranks still in their kill grace period. The same holds for attempts a node lists on coming
 * back after it was DOWN: closed by the head meanwhile, they are killed, and their slots wait for that kill.
 */
final class LingeringAttempts {
    /**
     * How long a node's slots stay taken without a word from it: past the longest kill grace a node takes
     * (3,600 s) with room to spare, so only a node that lost the kill gives its slots back this way. A node that
     * falls silent is marked DOWN long before, which gives them back too.
     */
    static final Duration LIMIT = Duration.ofMinutes(65);

    private record Key(long jobId, int attempt, String nodeId) {
    }

    private record Held(Allocation.NodeSlots slots, boolean wholeNode, Instant since) {
    }

    private final Map<Key, Held> held = new LinkedHashMap<>();

    /** The attempt's slots on these nodes stay taken until each node gives them back. */
    void killedOn(JobRecord j, List<String> nodeIds, Instant now) {
        for (Allocation.NodeSlots s : j.allocation().nodes()) {
            if (nodeIds.contains(s.nodeId())) {
                held.putIfAbsent(new Key(j.id(), j.attempt(), s.nodeId()), new Held(s, j.spec().wholeNodes(), now));
            }
        }
    }

    /**
     * A stale attempt a node still runs, killed now: its slots there stay taken until the node gives them back.
     *
     * @param slots what it holds there; the node's whole capacity with wholeNode when that is no longer known
     */
    void hold(long jobId, int attempt, Allocation.NodeSlots slots, boolean wholeNode, Instant now) {
        held.putIfAbsent(new Key(jobId, attempt, slots.nodeId()), new Held(slots, wholeNode, now));
    }

    /**
     * A node is done with an attempt that ended before: the runner-finished of a kill, or runner-released.
     *
     * @return room freed when the node held slots for it
     */
    Decisions released(long jobId, int attempt, String nodeId) {
        Decisions d = new Decisions();
        if (held.remove(new Key(jobId, attempt, nodeId)) != null) {
            d.freeRoom();
        }
        return d;
    }

    boolean lingers(long jobId, int attempt, String nodeId) {
        return held.containsKey(new Key(jobId, attempt, nodeId));
    }

    /**
     * A heartbeat that no longer lists an attempt is the node's word that nothing of it runs there (a runner
     * restarted after a kill -9 kills what it no longer holds before it sends one).
     *
     * @return whether any slots were given back
     */
    boolean heardFrom(String nodeId, Collection<RunnerEvent.RunningAttempt> listed) {
        boolean any = false;
        for (Iterator<Map.Entry<Key, Held>> it = held.entrySet().iterator(); it.hasNext();) {
            Key k = it.next().getKey();
            if (k.nodeId().equals(nodeId) && !listed.contains(new RunnerEvent.RunningAttempt(k.jobId(), k.attempt()))) {
                it.remove();
                any = true;
            }
        }
        return any;
    }

    /**
     * A node deleted by request holds nothing any more. A node marked DOWN keeps what it held: cut off, it may
     * still run those attempts, and when it comes back their slots are free only once it says they are gone.
     */
    void forgetNode(String nodeId) {
        held.keySet().removeIf(k -> k.nodeId().equals(nodeId));
    }

    /** @return what was held past {@link #LIMIT}, for the log; those slots are given back */
    List<String> expire(Instant now) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Held>> it = held.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Held> e = it.next();
            if (!e.getValue().since().plus(LIMIT).isAfter(now)) {
                Key k = e.getKey();
                out.add("job " + k.jobId() + " attempt " + k.attempt() + " on node " + k.nodeId());
                it.remove();
            }
        }
        return out;
    }

    /** What is held now, oldest first: what the views show as allocated beside the running jobs. */
    List<KillHold> holds() {
        List<KillHold> out = new ArrayList<>(held.size());
        held.forEach((k, h) -> out.add(new KillHold(k.jobId(), k.attempt(), h.slots(), h.since())));
        return out;
    }

    /** Takes the held slots out of what the nodes have free. */
    void takeFrom(FreeResources free) {
        held.values().forEach(h -> free.take(new Allocation(List.of(h.slots())), h.wholeNode()));
    }

    /** The held slots are expected back at once, as a job being stopped gives its own back. */
    void addReleases(List<Release> out, Instant now) {
        held.values().forEach(h -> out.add(new Release(now, new Allocation(List.of(h.slots())), h.wholeNode())));
    }
}
