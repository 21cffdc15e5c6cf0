package dev.cadre.protocol;

import java.time.Instant;
import java.util.List;

/**
 * An advance reservation, as Slurm's {@code scontrol create reservation} makes one: whole nodes kept from a start
 * to an end for the users it names (or, with {@link #MAINT}, taken out for maintenance). Jobs without
 * {@code --reservation} never start on its nodes if they would still run once it begins; a job with
 * {@code --reservation=NAME} runs only on its nodes, only while it is active, and only for a user it admits. Not to
 * be confused with a backfill plan's reserved start, which the scheduler keeps to itself.
 *
 * @param nodes the host names of its nodes, as the head found them when it was made or updated
 * @param users who may run jobs in it
 * @param startTime when it begins; for one that recurs ({@link #RECURRING}), its current or next occurrence's, moved on
 *        by the head each time one ends, as slurmctld's _advance_resv_time
 * @param flags Slurm's names, in Slurm's order: {@link #MAINT}, {@link #OVERLAP}, {@link #IGNORE_JOBS} and at most
 *        one of {@link #RECURRING} as asked for, {@link #SPEC_NODES} and {@link #ALL_NODES} as the head sets them (a
 *        reservation of NodeCnt= nodes the head chose has neither), {@link #NO_HOLD_JOBS_AFTER_END} as asked for
 */
public record AdvanceReservation(String name, Instant startTime, Instant endTime, List<String> nodes,
        List<String> users, List<String> flags) {
    /** For maintenance: a job waiting for its nodes says "ReqNodeNotAvail, Reserved for maintenance". */
    public static final String MAINT = "MAINT";
    /** May share its nodes with other reservations at the same time. */
    public static final String OVERLAP = "OVERLAP";
    /** Made even where running jobs would still run at its start. */
    public static final String IGNORE_JOBS = "IGNORE_JOBS";
    /** Its nodes were named (Nodes=); the head sets it, as slurmctld does. */
    public static final String SPEC_NODES = "SPEC_NODES";
    /** Nodes=ALL: every node known when it was made; the head sets it. */
    public static final String ALL_NODES = "ALL_NODES";
    /** Recurs every hour: when one occurrence ends, the next begins an hour after it began. */
    public static final String HOURLY = "HOURLY";
    /** Recurs every day at the same local time. */
    public static final String DAILY = "DAILY";
    /** Recurs Monday to Friday at the same local time. */
    public static final String WEEKDAY = "WEEKDAY";
    /** Recurs Saturday and Sunday at the same local time. */
    public static final String WEEKEND = "WEEKEND";
    /** Recurs every week at the same local time. */
    public static final String WEEKLY = "WEEKLY";
    /**
     * When it is deleted or ends, its jobs still waiting leave it unheld, to run outside it, instead of held (Slurm's
     * NO_HOLD_JOBS_AFTER_END, asked for by any prefix, NO_HOLD_JOBS_AFTER among them); it cannot be taken away.
     */
    public static final String NO_HOLD_JOBS_AFTER_END = "NO_HOLD_JOBS_AFTER_END";
    /** The flags that make a reservation recur; it may have one. */
    public static final List<String> RECURRING = List.of(HOURLY, DAILY, WEEKDAY, WEEKEND, WEEKLY);
    /** The flags a request may ask for. */
    public static final List<String> REQUESTABLE = List.of(MAINT, OVERLAP, IGNORE_JOBS, HOURLY, DAILY, WEEKDAY,
            WEEKEND, WEEKLY, NO_HOLD_JOBS_AFTER_END);
    /** The flags an update may take away, as parse_resv_flags takes "-NAME" (not OVERLAP: "-OVERLAP" is no flag). */
    public static final List<String> REMOVABLE = List.of(MAINT, IGNORE_JOBS, HOURLY, DAILY, WEEKDAY, WEEKEND, WEEKLY);
    /** Every flag, in the order scontrol prints them (reservation_flags_string). */
    public static final List<String> ORDER = List.of(MAINT, OVERLAP, IGNORE_JOBS, HOURLY, DAILY, WEEKDAY, WEEKEND,
            WEEKLY, SPEC_NODES, ALL_NODES, NO_HOLD_JOBS_AFTER_END);
    /** What Duration=UNLIMITED comes to: slurmctld's YEAR_SECONDS. */
    public static final long UNLIMITED_SECONDS = 365L * 24 * 3600;

    public AdvanceReservation {
        nodes = List.copyOf(nodes);
        users = List.copyOf(users);
        flags = ORDER.stream().filter(flags::contains).toList();
    }

    /** Whether it holds its nodes at this time: from its start, up to (not at) its end. */
    public boolean activeAt(Instant t) {
        return !t.isBefore(startTime) && t.isBefore(endTime);
    }

    /** Whether it has ended by this time: it is then forgotten, as Slurm deletes one that does not recur. */
    public boolean endedBy(Instant t) {
        return !t.isBefore(endTime);
    }

    /** Whether any moment from {@code from} up to {@code to} falls within it. */
    public boolean overlaps(Instant from, Instant to) {
        return from.isBefore(endTime) && to.isAfter(startTime);
    }

    public boolean maintenance() {
        return flags.contains(MAINT);
    }

    /** Its recurring flag, or null for one that happens once. */
    public String recurrence() {
        for (String f : flags) {
            if (RECURRING.contains(f)) {
                return f;
            }
        }
        return null;
    }

    /** The same reservation moved to another occurrence. */
    public AdvanceReservation at(Instant start, Instant end) {
        return new AdvanceReservation(name, start, end, nodes, users, flags);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public boolean holds(String hostname) {
        return nodes.contains(hostname);
    }

    /** Whether a job of this user may run in it: a user it names, or root, who has every reservation in Slurm. */
    public boolean admits(String user) {
        return "root".equals(user) || users.contains(user);
    }
}
