package dev.cadre.cli.slurm;

import dev.cadre.protocol.GpuTypes;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One node as sinfo shows it.
 *
 * @param name the node's host name, what NODELIST prints
 * @param allocCpus cores the jobs holding the node were given there, with those held for a kill the node has not
 *        confirmed (a stale attempt of a node back from a partition): Slurm's COMPLETING cores, counted as allocated
 *        as those of Cadre's COMPLETING jobs are; none of a suspended job's, and each core once (the REST API's
 *        allocated.cores)
 * @param allocMemoryMb memory the jobs holding the node were given there, a suspended job's too: scontrol's AllocMem
 * @param allocGpus GPUs the jobs holding the node were given there, a suspended job's too: AllocTRES's gres/gpu
 * @param down the head stopped hearing from the node: Slurm's DOWN with the not-responding flag
 * @param reason why the node is unavailable, null if it is not
 * @param reasonTime when the reason was set, null if unknown
 * @param drain an administrator drained the node (scontrol update State=DRAIN); the reason is then the drain's
 * @param reasonUser who set the reason, null if unknown
 * @param gpuTypes the indexes of its GPUs of each type ({@link GpuTypes}); null when they have none
 * @param reserved whether an active advance reservation holds the node now, and whether for maintenance: Slurm's
 *        RESERVED and MAINTENANCE node flags
 */
public record SinfoNode(String name, int cpus, int allocCpus, long memoryMb, long allocMemoryMb, int gpus,
        int allocGpus, boolean down, String reason, Instant reasonTime, boolean drain, String reasonUser,
        Map<String, List<Integer>> gpuTypes, Reserved reserved) {

    /** What an active reservation makes of a node: slurmctld flags its nodes RESERVED, a MAINT one's also MAINT. */
    public enum Reserved {
        NONE, RESERVED, MAINT
    }

    /** A node no active reservation holds. */
    public SinfoNode(String name, int cpus, int allocCpus, long memoryMb, long allocMemoryMb, int gpus,
            int allocGpus, boolean down, String reason, Instant reasonTime, boolean drain, String reasonUser,
            Map<String, List<Integer>> gpuTypes) {
        this(name, cpus, allocCpus, memoryMb, allocMemoryMb, gpus, allocGpus, down, reason, reasonTime, drain,
                reasonUser, gpuTypes, Reserved.NONE);
    }

    /** A node whose GPUs have no type, held by no active reservation. */
    public SinfoNode(String name, int cpus, int allocCpus, long memoryMb, long allocMemoryMb, int gpus,
            int allocGpus, boolean down, String reason, Instant reasonTime, boolean drain, String reasonUser) {
        this(name, cpus, allocCpus, memoryMb, allocMemoryMb, gpus, allocGpus, down, reason, reasonTime, drain,
                reasonUser, null);
    }

    /** The node as an active reservation holds it. */
    public SinfoNode reservedAs(Reserved how) {
        return new SinfoNode(name, cpus, allocCpus, memoryMb, allocMemoryMb, gpus, allocGpus, down, reason,
                reasonTime, drain, reasonUser, gpuTypes, how);
    }

    /** A node with no GPUs allocated. */
    public SinfoNode(String name, int cpus, int allocCpus, long memoryMb, long allocMemoryMb, int gpus,
            boolean down, String reason, Instant reasonTime, boolean drain, String reasonUser) {
        this(name, cpus, allocCpus, memoryMb, allocMemoryMb, gpus, 0, down, reason, reasonTime, drain, reasonUser);
    }

    /** A node that is not drained, with no memory allocated. */
    public SinfoNode(String name, int cpus, int allocCpus, long memoryMb, int gpus, boolean down, String reason,
            Instant reasonTime) {
        this(name, cpus, allocCpus, memoryMb, 0, gpus, 0, down, reason, reasonTime, false, null);
    }

    /**
     * The Slurm node states a Cadre node can be in. Declared in the order sinfo lists groups: its default sort
     * is by Slurm's state number, decreasing (MIXED 5, ALLOCATED 3, IDLE 2), and the not-responding flag a
     * DOWN node carries puts it above all of them, as the drain flag puts a drained node above the plain states;
     * the maintenance flag (0x8000) is above every other, and the reserved one (0x20) above the plain states.
     * A drained node with jobs still on it is DRAINING (drng), one without them DRAINED (drain). Names as
     * node_state_string and its compact form give them: an idle node in a maintenance window is MAINT, one in
     * another reservation RESERVED (resv); a busy, drained or down node in a maintenance window keeps its name
     * with a '$', one in another reservation its name alone.
     */
    public enum State {
        DOWN_MAINT("down$", "down$"), DRAINING_MAINT("draining$", "drng$"), DRAINED_MAINT("drained$", "drain$"),
        MIXED_MAINT("mixed$", "mix$"), ALLOCATED_MAINT("allocated$", "alloc$"), MAINT("maint", "maint"),
        DOWN("down*", "down*"), DOWN_DRAINED("drained*", "drain*"), DRAINING("draining", "drng"),
        DRAINED("drained", "drain"), RESERVED("reserved", "resv"), MIXED("mixed", "mix"),
        ALLOCATED("allocated", "alloc"), IDLE("idle", "idle");

        /** As %T prints it. */
        public final String longName;
        /** As %t prints it. */
        public final String compactName;

        State(String longName, String compactName) {
            this.longName = longName;
            this.compactName = compactName;
        }
    }

    /** The state with the drain and reservation flags: what sinfo's %t and %T print. */
    public State state() {
        boolean maint = reserved == Reserved.MAINT;
        if (drain) {
            return allocCpus > 0 && !down ? (maint ? State.DRAINING_MAINT : State.DRAINING)
                    : maint ? State.DRAINED_MAINT : down ? State.DOWN_DRAINED : State.DRAINED;
        }
        State base = baseState();
        return switch (base) {
            case DOWN -> maint ? State.DOWN_MAINT : base;
            case MIXED -> maint ? State.MIXED_MAINT : base;
            case ALLOCATED -> maint ? State.ALLOCATED_MAINT : base;
            case IDLE -> maint ? State.MAINT : reserved == Reserved.RESERVED ? State.RESERVED : base;
            default -> base;
        };
    }

    /** Slurm calls a node MIXED when some but not all of its CPUs are allocated. */
    public State baseState() {
        if (down) {
            return State.DOWN;
        }
        if (allocCpus <= 0) {
            return State.IDLE;
        }
        return allocCpus >= cpus ? State.ALLOCATED : State.MIXED;
    }

    /**
     * Slurm's GRES text for the node, e.g. "gpu:4", "gpu:a100:2,gpu:v100:1" for typed GPUs (its slurm.conf Gres=,
     * each type's count), or "(null)" (C's printf of a null string) without GPUs.
     */
    public String gres() {
        String gres = GpuTypes.gres(gpuTypes, gpus);
        return gres == null ? "(null)" : gres;
    }
}
