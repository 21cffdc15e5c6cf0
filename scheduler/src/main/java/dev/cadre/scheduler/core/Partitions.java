package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply.PartitionResult;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.Partition;
import dev.cadre.protocol.PartitionRequest;
import dev.cadre.protocol.RejectionCode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partitions the scheduler keeps (scontrol create, update and delete partition, judged by
 * {@link PartitionChecks}), and what they mean for jobs, as slurmctld's job_mgr.c: a submission naming one it does
 * not know is refused (Invalid partition name specified), as is one to a partition that takes no jobs (DRAIN or
 * INACTIVE); a job naming none is put in the default; a job giving no time limit takes DefaultTime, else MaxTime; a
 * job over MaxTime is taken and waits (PartitionTimeLimit, as under Slurm's default EnforcePartLimits=NO), as does one
 * whose partitions start nothing (PartitionDown, PartitionInactive); placement gives a job only its partitions' nodes
 * ({@link PartitionFence}). Pure: the shell stores each outcome's partitions before it {@link #apply applies} them.
 */
public final class Partitions {
    static final String TIME_LIMIT = "PartitionTimeLimit";
    static final String DOWN = "PartitionDown";
    static final String INACTIVE = "PartitionInactive";

    private final Map<String, Partition> byName = new LinkedHashMap<>();
    private PartitionFence fence = PartitionFence.NONE;

    public Partitions() {
        put(List.of(Partition.first()));
    }

    /**
     * What a request comes to: the answer, and every partition after it, to store whole; null when nothing
     * changes.
     */
    public record Outcome(PartitionResult reply, List<Partition> after) {
    }

    /** The partitions stored, as a head starts. */
    public void recover(List<Partition> stored) {
        put(stored);
    }

    private void put(List<Partition> partitions) {
        byName.clear();
        partitions.forEach(p -> byName.put(p.name(), p));
        fence = new PartitionFence(partitions);
    }

    public List<Partition> list() {
        return List.copyOf(byName.values());
    }

    PartitionFence fence() {
        return fence;
    }

    /** Judges a request; nothing changes until the shell has stored the outcome and calls {@link #apply}. */
    public Outcome judge(PartitionRequest request, List<NodeRecord> nodes, Collection<JobRecord> active,
            Collection<JobRecord> pending) {
        return PartitionChecks.judge(request, byName, nodes, active, pending);
    }

    /** Takes a stored outcome's partitions into memory. */
    public void apply(Outcome o) {
        if (o.after() != null) {
            put(o.after());
        }
    }

    private String defaultName() {
        return byName.values().stream().filter(Partition::isDefault).map(Partition::name).findFirst()
                .orElse(Partition.FIRST);
    }

    /** Why a submission is refused for its partitions, as slurmctld refuses it; empty when it may be stored. */
    Optional<Refusal> refusal(JobSpec spec) {
        if (spec.partition() == null) {
            Partition def = byName.get(defaultName());
            return def == null || def.takesJobs() ? Optional.empty() : notAvailable(def.name());
        }
        boolean anyTakes = false;
        for (String name : Partition.names(spec.partition())) {
            Partition p = byName.get(name);
            if (p == null) {
                return Optional.of(new Refusal(RejectionCode.INVALID_PARTITION, new JobSpecValidator.Problem(
                        "spec.partition", "no partition is named " + name)));
            }
            anyTakes |= p.takesJobs();
        }
        return anyTakes ? Optional.empty() : notAvailable(spec.partition());
    }

    private static Optional<Refusal> notAvailable(String names) {
        return Optional.of(new Refusal(RejectionCode.PARTITION_NOT_AVAILABLE, new JobSpecValidator.Problem(
                "spec.partition", "partition " + names + " takes no new jobs (DRAIN or INACTIVE)")));
    }

    /**
     * The spec stored for a job admitted now: in the default partition when it names none, and with the time limit
     * of its (first) partition when it gives none, as slurmctld's _job_create; the same spec when nothing changes.
     */
    public JobSpec admitted(JobSpec spec) {
        String names = spec.partition() == null ? defaultName() : spec.partition();
        Partition first = byName.get(Partition.names(names).get(0));
        Long limit = spec.timeLimitSeconds() == null && first != null ? first.defaultLimitSeconds()
                : spec.timeLimitSeconds();
        if (names.equals(spec.partition()) && java.util.Objects.equals(limit, spec.timeLimitSeconds())) {
            return spec;
        }
        return spec.toBuilder().partition(names).timeLimitSeconds(limit).build();
    }

    /** Whether a pass must ask each pending job's partitions why it waits ({@link #waitReason}). */
    boolean mayHoldBack() {
        return byName.values().stream().anyMatch(p -> !p.startsJobs() || p.maxTimeMinutes() != null);
    }

    /**
     * Why a pending job may not start now for its partitions, or null when one of them may start it: the first
     * partition's reason, its state before its MaxTime, as slurmctld's job_limits_check and _job_runnable_test.
     */
    String waitReason(JobSpec spec) {
        String names = spec.partition() == null ? defaultName() : spec.partition();
        String first = null;
        for (String name : Partition.names(names)) {
            Partition p = byName.get(name);
            String why = p == null ? INACTIVE : Partition.INACTIVE.equals(p.state()) ? INACTIVE
                    : !p.startsJobs() ? DOWN : !p.allowsLimit(spec.timeLimitSeconds()) ? TIME_LIMIT : null;
            if (why == null) {
                return null;
            }
            first = first == null ? why : first;
        }
        return first;
    }
}
