package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply.PartitionResult;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.Partition;
import dev.cadre.protocol.PartitionRefusal;
import dev.cadre.protocol.PartitionRequest;
import dev.cadre.protocol.PartitionValidator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges scontrol create, update and delete partition as slurmctld's partition_mgr.c does: an unknown name is
 * ESLURM_INVALID_PARTITION_NAME, a node that is none ESLURM_INVALID_NODE_NAME, Default=YES takes the default from the
 * partition that had it, and a partition jobs wait or run in is not deleted (ESLURM_PARTITION_IN_USE). Unlike
 * slurmctld, the default partition is not deleted either, so that a job naming none always has one. Pure.
 */
final class PartitionChecks {
    private PartitionChecks() {
    }

    /**
     * @param byName the partitions now, in their order
     * @return the reply, and the partitions after the change (null when nothing changes)
     */
    static Partitions.Outcome judge(PartitionRequest request, Map<String, Partition> byName, List<NodeRecord> nodes,
            Collection<JobRecord> active, Collection<JobRecord> pending) {
        String name = request.name();
        if (!request.operator()) {
            return refused(name, PartitionRefusal.ACCESS_DENIED, "only an operator (root, or the owner of the client"
                    + " file) may create, update or delete a partition");
        }
        List<JobSpecValidator.Problem> problems = PartitionValidator.validate(request);
        if (!problems.isEmpty()) {
            return new Partitions.Outcome(new PartitionResult(name, false, null, PartitionRefusal.INVALID_FIELD,
                    String.join("; ", problems.stream().map(Object::toString).toList()), problems.get(0).field()),
                    null);
        }
        Partition old = byName.get(name);
        if (request instanceof PartitionRequest.CreatePartition c) {
            if (old != null) {
                return refused(name, PartitionRefusal.DUPLICATE_NAME, "partition " + name + " exists");
            }
            Partition made = new Partition(name, c.nodes(), Boolean.TRUE.equals(c.isDefault()),
                    minutes(c.maxTimeMinutes(), null), minutes(c.defaultTimeMinutes(), null),
                    c.state() == null ? Partition.UP : c.state());
            return changed(made, byName, nodes);
        }
        if (old == null) {
            return refused(name, PartitionRefusal.NOT_FOUND, "partition " + name + " does not exist");
        }
        if (request instanceof PartitionRequest.UpdatePartition u) {
            Partition made = new Partition(name, u.nodes() == null ? old.nodes() : u.nodes(),
                    old.isDefault() || Boolean.TRUE.equals(u.isDefault()),
                    minutes(u.maxTimeMinutes(), old.maxTimeMinutes()),
                    minutes(u.defaultTimeMinutes(), old.defaultTimeMinutes()),
                    u.state() == null ? old.state() : u.state());
            return changed(made, byName, nodes);
        }
        if (old.isDefault()) {
            return refused(name, PartitionRefusal.IN_USE, "partition " + name + " is the default: make another"
                    + " partition the default first (Default=YES)");
        }
        long jobs = 0;
        for (Collection<JobRecord> held : List.of(active, pending)) {
            jobs += held.stream().filter(j -> Partition.names(j.spec().partition()).contains(name)).count();
        }
        if (jobs > 0) {
            return refused(name, PartitionRefusal.IN_USE, jobs + (jobs == 1 ? " job waits or runs" : " jobs wait or"
                    + " run") + " in partition " + name);
        }
        List<Partition> after = new ArrayList<>(byName.values());
        after.removeIf(p -> p.name().equals(name));
        return new Partitions.Outcome(PartitionResult.done(name, null), after);
    }

    /** A new or changed partition among the others: its nodes known, its times in order, the one default. */
    private static Partitions.Outcome changed(Partition made, Map<String, Partition> byName, List<NodeRecord> nodes) {
        if (!made.allNodes()) {
            Set<String> known = new HashSet<>();
            nodes.forEach(n -> known.add(n.hostname()));
            List<String> unknown = made.hosts().stream().filter(h -> !known.contains(h)).sorted().toList();
            if (!unknown.isEmpty()) {
                return refused(made.name(), PartitionRefusal.INVALID_NODE, "no node is named "
                        + String.join(", ", unknown));
            }
        }
        if (made.maxTimeMinutes() != null && made.defaultTimeMinutes() != null
                && made.defaultTimeMinutes() > made.maxTimeMinutes()) {
            return new Partitions.Outcome(new PartitionResult(made.name(), false, null,
                    PartitionRefusal.INVALID_FIELD, "DefaultTime would exceed MaxTime for partition " + made.name(),
                    "defaultTimeMinutes"), null);
        }
        List<Partition> after = new ArrayList<>();
        boolean placed = false;
        for (Partition p : byName.values()) {
            if (p.name().equals(made.name())) {
                after.add(made);
                placed = true;
            } else if (made.isDefault() && p.isDefault()) {
                after.add(new Partition(p.name(), p.nodes(), false, p.maxTimeMinutes(), p.defaultTimeMinutes(),
                        p.state()));
            } else {
                after.add(p);
            }
        }
        if (!placed) {
            after.add(made);
        }
        return new Partitions.Outcome(PartitionResult.done(made.name(), made), after);
    }

    /** A request's minutes: null keeps what was, -1 is none. */
    private static Long minutes(Long asked, Long was) {
        return asked == null ? was : asked < 0 ? null : asked;
    }

    private static Partitions.Outcome refused(String name, PartitionRefusal code, String reason) {
        return new Partitions.Outcome(PartitionResult.refused(name, code, reason), null);
    }
}
