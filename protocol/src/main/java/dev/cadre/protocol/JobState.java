package dev.cadre.protocol;

/** Job states, with Slurm's names so the CLI reads naturally. */
public enum JobState {
    PENDING("PD"),
    RUNNING("R"),
    COMPLETING("CG"),
    COMPLETED("CD"),
    FAILED("F"),
    CANCELLED("CA"),
    TIMEOUT("TO"),
    NODE_FAIL("NF"),
    REQUEUED("RQ"),
    /** Killed by its node for using more memory than it asked for (--mem); the job's own failure, as FAILED. */
    OUT_OF_MEMORY("OOM"),
    /**
     * Stopped by an operator (scontrol suspend): every process of it on every node of its allocation got SIGSTOP, and
     * its nodes stay allocated to it until it is resumed or ends. Its time limit does not count the time it spends so.
     */
    SUSPENDED("S"),
    /**
     * Ended while pending because it could no longer end by its deadline (--deadline): Slurm's DEADLINE, with reason
     * DeadLine. A running job is never ended so; it started with a time limit that ends by its deadline.
     */
    DEADLINE("DL");

    private final String shortCode;

    JobState(String shortCode) {
        this.shortCode = shortCode;
    }

    /** Slurm's compact state code, as squeue's %t prints it. */
    public String shortCode() {
        return shortCode;
    }

    public boolean isTerminal() {
        return switch (this) {
            case COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, DEADLINE -> true;
            default -> false;
        };
    }

    /** Holds nodes: placed and not yet released. */
    public boolean isActive() {
        return this == RUNNING || this == COMPLETING || this == SUSPENDED;
    }
}
