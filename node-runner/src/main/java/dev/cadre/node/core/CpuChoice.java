package dev.cadre.node.core;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which CPUs an attempt's processes are bound to on this node ({@code --cpu-binding}), as Slurm's task/affinity or
 * task/cgroup with ConstrainCores=yes confine a job to the cores it was given. The node binds only where it can do so
 * honestly: from the CPUs it may run on itself, when it declares no more cores than those. Lowest free ids first:
 * deterministic, so that a user (or a test) can tell which a job got, and, as Slurm's block distribution of cores
 * does, it keeps the lower CPUs busy and the higher ones whole for larger jobs; a placement aware of sockets or
 * hyperthread siblings would need the node's topology, which the head does not schedule by.
 */
public final class CpuChoice {
    private CpuChoice() {
    }

    /** {@code --cpu-binding}: none, or each attempt to as many CPUs as its slot on the node has. */
    public enum Mode {
        NONE, CORES;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the choices */
        public static Mode byName(String name) {
            for (Mode m : values()) {
                if (m.configName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--cpu-binding must be none or cores, not '" + name + "'");
        }
    }

    /**
     * Why the node binds no attempt; empty when it binds.
     *
     * @param declaredCores the cores the node offers the head ({@code --cores}, else the CPUs the JVM sees)
     * @param allowed the CPUs the node-runner itself may run on (its own affinity); empty when unknown
     */
    public static Optional<String> whyUnbound(Mode mode, int declaredCores, Set<Integer> allowed) {
        if (mode == Mode.NONE) {
            return Optional.of("--cpu-binding none");
        }
        if (allowed.isEmpty()) {
            return Optional.of("the CPUs the node-runner may run on are unknown (no Cpus_allowed_list in"
                    + " /proc/self/status)");
        }
        if (declaredCores > allowed.size()) {
            return Optional.of("the node declares " + declaredCores + " cores and may run on " + allowed.size()
                    + " CPUs (" + CpuList.format(allowed) + "): jobs could not each have CPUs of their own");
        }
        return Optional.empty();
    }

    /**
     * The CPUs for an attempt: the lowest {@code cpus} ids of those allowed that no other attempt holds, or every
     * allowed CPU for a job that has its nodes whole (--exclusive). Empty, so that the attempt runs unbound, when it
     * asks for no CPU or more than are free: binding it to CPUs others hold would slow both for nothing.
     *
     * @param held the CPUs the node's other running attempts are bound to
     */
    public static Optional<SortedSet<Integer>> choose(SortedSet<Integer> allowed, Set<Integer> held, int cpus,
            boolean wholeNode) {
        if (wholeNode && !allowed.isEmpty()) {
            return Optional.of(Collections.unmodifiableSortedSet(new TreeSet<>(allowed)));
        }
        if (cpus <= 0) {
            return Optional.empty();
        }
        SortedSet<Integer> chosen = new TreeSet<>();
        for (int cpu : allowed) {
            if (chosen.size() == cpus) {
                break;
            }
            if (!held.contains(cpu)) {
                chosen.add(cpu);
            }
        }
        return chosen.size() == cpus ? Optional.of(Collections.unmodifiableSortedSet(chosen)) : Optional.empty();
    }

    /**
     * What an attempt a restarted node-runner adopts holds, from the CPUs its wrapper may run on: those, when they
     * are as many as its slot has (or it has the node whole); none when they are not, since it then ran unbound
     * (no CPUs were free for it, or the node did not bind when it started).
     */
    public static SortedSet<Integer> heldByAdopted(Set<Integer> wrapperCpus, int cpus, boolean wholeNode) {
        if (wrapperCpus.isEmpty() || (!wholeNode && wrapperCpus.size() != cpus)) {
            return Collections.emptySortedSet();
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(wrapperCpus));
    }
}
