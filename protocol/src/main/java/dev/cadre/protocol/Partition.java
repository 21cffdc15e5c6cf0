package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;

/**
 * A partition, as Slurm's: a named set of nodes jobs ask for with {@code -p}, with its time limits and state. One
 * is the default, which a job naming none runs in; {@code batch}, of every node, is there from the start.
 *
 * @param nodes a Slurm host list of node host names, or ALL for every node the head knows, now and later
 * @param isDefault whether a job naming no partition runs here (Default=YES); exactly one partition is
 * @param maxTimeMinutes the longest time limit a job here may start with (MaxTime=); null for UNLIMITED
 * @param defaultTimeMinutes the time limit of a job that gives none (DefaultTime=); null for MaxTime's
 * @param state one of {@link #STATES}: UP takes and starts jobs, DOWN takes them but starts none, DRAIN starts the
 *        queued ones but takes no new ones, INACTIVE neither, as Slurm's PARTITION_SUBMIT and PARTITION_SCHED bits
 */
public record Partition(String name, String nodes, @JsonProperty("default") boolean isDefault, Long maxTimeMinutes,
        Long defaultTimeMinutes, String state) {
    /** The partition every head has until an operator says otherwise. */
    public static final String FIRST = "batch";
    public static final String ALL = "ALL";
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";
    public static final String DRAIN = "DRAIN";
    public static final String INACTIVE = "INACTIVE";
    public static final List<String> STATES = List.of(UP, DOWN, DRAIN, INACTIVE);

    /** batch, of every node, the default, with no limits: Cadre before partitions. */
    public static Partition first() {
        return new Partition(FIRST, ALL, true, null, null, UP);
    }

    @JsonIgnore
    public boolean allNodes() {
        return ALL.equalsIgnoreCase(nodes);
    }

    /** The host names of its nodes, expanded; empty for ALL. */
    @JsonIgnore
    public Set<String> hosts() {
        return allNodes() ? Set.of() : Set.copyOf(HostList.expand(nodes));
    }

    /** Whether it takes new jobs (UP or DOWN). */
    @JsonIgnore
    public boolean takesJobs() {
        return UP.equals(state) || DOWN.equals(state);
    }

    /** Whether it starts the jobs queued in it (UP or DRAIN). */
    @JsonIgnore
    public boolean startsJobs() {
        return UP.equals(state) || DRAIN.equals(state);
    }

    /** The time limit a job giving none gets here, in seconds; null for none. */
    @JsonIgnore
    public Long defaultLimitSeconds() {
        Long minutes = defaultTimeMinutes != null ? defaultTimeMinutes : maxTimeMinutes;
        return minutes == null ? null : minutes * 60;
    }

    /** Whether a job of this limit (null: none) is within MaxTime. */
    public boolean allowsLimit(Long timeLimitSeconds) {
        return maxTimeMinutes == null || timeLimitSeconds != null && timeLimitSeconds <= maxTimeMinutes * 60;
    }

    /** The names of a job's -p list ("gpu,batch"), in its order. */
    public static List<String> names(String list) {
        return list == null ? List.of() : List.of(list.split(","));
    }
}
