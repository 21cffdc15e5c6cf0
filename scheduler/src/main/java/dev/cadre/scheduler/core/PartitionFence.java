package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.Partition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The partitions as placement sees them: a job gets only nodes of a partition it names that may start it now (UP or
 * DRAIN, its time limit within MaxTime), as slurmctld's select_nodes gets a job only its partition's nodes. Immutable:
 * a pass and a forecast each take the one in force. With every partition of every node, nothing is looked up.
 */
public final class PartitionFence {
    public static final PartitionFence NONE = new PartitionFence(List.of(Partition.first()));

    private final Map<String, Partition> byName = new HashMap<>();
    /** Host names by partition; absent for a partition of every node. */
    private final Map<String, Set<String>> hosts = new HashMap<>();
    private final String defaultName;
    /** Whether any partition leaves a node out, or keeps a job from starting: else it bars nothing. */
    private final boolean fences;

    PartitionFence(List<Partition> partitions) {
        String def = Partition.FIRST;
        boolean any = false;
        for (Partition p : partitions) {
            byName.put(p.name(), p);
            if (!p.allNodes()) {
                hosts.put(p.name(), p.hosts());
            }
            if (p.isDefault()) {
                def = p.name();
            }
            any |= !p.allNodes() || !p.startsJobs() || p.maxTimeMinutes() != null;
        }
        this.defaultName = def;
        this.fences = any || partitions.size() > 1;
    }

    /** Whether the partitions may keep some job from some node; false spares every lookup. */
    boolean fences() {
        return fences;
    }

    /** Whether the job may not be given this host: no partition it names, that may start it now, holds the node. */
    boolean bars(JobSpec spec, String hostname) {
        if (!fences) {
            return false;
        }
        String names = spec.partition() == null ? defaultName : spec.partition();
        if (names.indexOf(',') < 0) {
            return !admits(names, spec, hostname);
        }
        for (String name : Partition.names(names)) {
            if (admits(name, spec, hostname)) {
                return false;
            }
        }
        return true;
    }

    private boolean admits(String name, JobSpec spec, String hostname) {
        Partition p = byName.get(name);
        if (p == null || !p.startsJobs() || !p.allowsLimit(spec.timeLimitSeconds())) {
            return false;
        }
        Set<String> held = hosts.get(name);
        return held == null || held.contains(hostname);
    }

    /** The partitions a job may run in, in its order: its own, or the default. */
    List<String> partitionsOf(JobSpec spec) {
        return Partition.names(spec.partition() == null ? defaultName : spec.partition());
    }

    /** The host names of a partition's nodes; null for one of every node (or none known by the name). */
    Set<String> hostsOf(String partition) {
        return hosts.get(partition);
    }

    /** Each partition of a job that names several, in its order, as a spec of that one alone; empty for one. */
    List<JobSpec> each(JobSpec spec) {
        if (!fences || spec.partition() == null || spec.partition().indexOf(',') < 0) {
            return List.of();
        }
        return Partition.names(spec.partition()).stream().map(n -> spec.toBuilder().partition(n).build()).toList();
    }

    /**
     * The partition a job that names several starts in, holding every host of its allocation: the first such, as
     * slurmctld sets the job's partition to the one it starts in; null when it names one (or none).
     */
    String startedIn(JobSpec spec, List<String> allocated) {
        if (spec.partition() == null || spec.partition().indexOf(',') < 0) {
            return null;
        }
        for (String name : Partition.names(spec.partition())) {
            if (allocated.stream().allMatch(h -> admits(name, spec, h))) {
                return name;
            }
        }
        return Partition.names(spec.partition()).get(0);
    }
}
