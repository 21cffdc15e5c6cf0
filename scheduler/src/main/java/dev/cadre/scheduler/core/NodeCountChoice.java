package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which nodes {@code scontrol create reservation NodeCnt=N} gets, as slurmctld's _select_nodes picks them: from
 * the first of these sets that alone holds N nodes no job holds at the start, the first N in the head's node order
 * (select/cons_tres's pick with equal node weights):
 * <ol>
 * <li>nodes up and not drained that no other reservation holds at any moment of this one;</li>
 * <li>the same, where other reservations with MAINT or OVERLAP may hold them (as _resv_overlap lets them share);</li>
 * <li>with MAINT or OVERLAP asked: any node up and not drained;</li>
 * <li>with MAINT: any node up, then any node at all.</li>
 * </ol>
 * A node counts as held by a job that runs or is suspended there and may still run at the start. With IGNORE_JOBS
 * such nodes are taken too when a set lacks free ones, a job's nodes at a time, as _pick_node_cnt does. Pure.
 */
final class NodeCountChoice {
    private NodeCountChoice() {
    }

    /**
     * The host names chosen, or an empty list when no set holds enough.
     *
     * @param wanted the reservation as asked for, without nodes: its name, times and flags
     * @param nodes every known node, in the head's order
     * @param others the other reservations
     * @param active the jobs holding nodes
     */
    static List<String> choose(int count, AdvanceReservation wanted, List<NodeRecord> nodes,
            Collection<AdvanceReservation> others, Collection<JobRecord> active, Instant now, ZoneId zone) {
        Set<String> unshared = new LinkedHashSet<>();
        Set<String> shared = new LinkedHashSet<>();
        for (AdvanceReservation o : others) {
            if (!o.name().equals(wanted.name()) && Recurrence.shareAMoment(o, wanted, zone)) {
                unshared.addAll(o.nodes());
                if (!o.maintenance() && !o.has(AdvanceReservation.OVERLAP)) {
                    shared.addAll(o.nodes());
                }
            }
        }
        Predicate<NodeRecord> available = n -> n.state() == NodeRecord.NodeState.UP && n.drain() == null;
        List<Predicate<NodeRecord>> sets = new ArrayList<>();
        sets.add(available.and(n -> !unshared.contains(n.hostname())));
        sets.add(available.and(n -> !shared.contains(n.hostname())));
        if (wanted.maintenance() || wanted.has(AdvanceReservation.OVERLAP)) {
            sets.add(available);
        }
        if (wanted.maintenance()) {
            sets.add(n -> n.state() == NodeRecord.NodeState.UP);
            sets.add(n -> true);
        }
        List<List<String>> busy = busyAtStart(wanted, active, now);
        for (Predicate<NodeRecord> set : sets) {
            List<String> chosen = pick(count, nodes.stream().filter(set).map(NodeRecord::hostname).distinct()
                    .toList(), busy, wanted.has(AdvanceReservation.IGNORE_JOBS));
            if (!chosen.isEmpty()) {
                return chosen;
            }
        }
        return List.of();
    }

    private static List<String> pick(int count, List<String> set, List<List<String>> busy, boolean ignoreJobs) {
        Set<String> taken = new LinkedHashSet<>();
        busy.forEach(taken::addAll);
        Set<String> usable = new LinkedHashSet<>(set);
        usable.removeAll(taken);
        if (usable.size() < count && ignoreJobs) {
            for (List<String> jobNodes : busy) {
                jobNodes.stream().filter(set::contains).forEach(usable::add);
                if (usable.size() >= count) {
                    break;
                }
            }
        }
        if (usable.size() < count) {
            return List.of();
        }
        return set.stream().filter(usable::contains).limit(count).toList();
    }

    /** Each job's hosts that it may still hold at the reservation's start, in the order the jobs are given. */
    private static List<List<String>> busyAtStart(AdvanceReservation wanted, Collection<JobRecord> active,
            Instant now) {
        List<List<String>> out = new ArrayList<>();
        for (JobRecord j : active) {
            if (!AdvanceReservations.holdsNodes(j) || j.allocation() == null) {
                continue;
            }
            Instant start = j.limitStart(now);
            boolean endless = j.state() == JobState.SUSPENDED || start == null;
            if (endless || !start.plus(Release.limitOf(j.spec())).isBefore(wanted.startTime())) {
                out.add(j.allocation().nodes().stream().map(Allocation.NodeSlots::hostname).toList());
            }
        }
        return out;
    }
}
