package dev.cadre.scheduler.core;

import dev.cadre.protocol.NodeHostName;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which node holds which host name, the name being what hostfiles, host lists and jobs' -w name a machine by: a
 * heartbeat under a name another up node holds is refused, a new node id takes over a DOWN node's name with its drain,
 * and a name no usable node holds is unavailable to the jobs that ask for it. Pure functions of the known nodes.
 */
final class HostNameClaims {
    private HostNameClaims() {
    }

    /**
     * The drain of a DOWN record whose host name a new node id takes over, or null. A drain is the operator's word
     * on the machine: reinstalled or given a new state directory, it returns under a new id, and must not take jobs
     * while its old record stays drained.
     */
    static NodeRecord.Drain inheritedDrain(Collection<NodeEntry> nodes, RunnerEvent.NodeHeartbeat hb, Decisions d) {
        return nodes.stream()
                .filter(n -> !n.up() && n.drained() && n.record().hostname().equalsIgnoreCase(hb.hostname()))
                .findFirst()
                .map(old -> {
                    d.warn("node " + hb.nodeId() + " takes over host name " + hb.hostname() + " from DOWN node "
                            + old.record().id() + " and with it its drain (" + old.record().drain().reason()
                            + "); scontrol update NodeName=" + hb.hostname() + " State=RESUME ends it");
                    return old.record().drain();
                })
                .orElse(null);
    }

    /**
     * Why a heartbeat is not taken, or empty. A host name that a hostfile or host list cannot hold would fail every
     * job placed there. Two up nodes with one name (cloned machines) would be one host to MPI: the second is kept
     * out while the first is up. A node whose record with the name is DOWN does not keep it: a reinstalled machine
     * (a new node id) takes over its name, and the old record stays DOWN.
     */
    static Optional<String> refusal(Collection<NodeEntry> nodes, RunnerEvent.NodeHeartbeat hb) {
        Optional<String> bad = NodeHostName.problem(hb.hostname());
        if (bad.isPresent()) {
            return Optional.of("refusing node " + hb.nodeId() + ": " + bad.get() + "; it joins when restarted with"
                    + " another --hostname");
        }
        return nodes.stream()
                .filter(n -> n.up() && !n.record().id().equals(hb.nodeId())
                        && n.record().hostname().equalsIgnoreCase(hb.hostname()))
                .findFirst()
                .map(twin -> "refusing node " + hb.nodeId() + ": its host name '" + hb.hostname() + "' is that of"
                        + " node " + twin.record().id() + ", which is up, and MPI would take the two for one machine;"
                        + " give one of them another --hostname (node " + hb.nodeId() + " joins once "
                        + twin.record().id() + " is down)");
    }

    /**
     * Whether a job naming this host (by host name or node id) waits with ReqNodeNotAvail: its node is not up, is
     * drained, or is not known at all (deleted with scontrol delete, or not yet registered), so that nothing but a
     * node of that name coming (back) lets it run, and Resources would say the wrong thing.
     */
    static Predicate<String> unavailable(Collection<NodeEntry> nodes) {
        Set<String> down = downNames(nodes);
        Set<String> known = new HashSet<>();
        nodes.forEach(n -> {
            known.add(n.record().id());
            known.add(n.record().hostname());
        });
        return name -> down.contains(name) || !known.contains(name);
    }

    /**
     * Host names and ids of nodes known but not up, or drained. A host name a usable node has taken over (from a
     * DOWN record) is not down.
     */
    private static Set<String> downNames(Collection<NodeEntry> nodes) {
        Set<String> usable = new HashSet<>();
        nodes.stream().filter(n -> n.up() && !n.drained()).forEach(n -> usable.add(n.record().hostname()));
        Set<String> out = new HashSet<>();
        for (NodeEntry n : nodes) {
            if (!n.up() || n.drained()) {
                out.add(n.record().id());
                if (!usable.contains(n.record().hostname())) {
                    out.add(n.record().hostname());
                }
            }
        }
        return out;
    }
}
