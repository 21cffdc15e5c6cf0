package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply.ReservationResult;
import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.ReservationValidator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * slurmctld's create_resv and update_resv checks on a request that is valid on its own, in their order: the times
 * (a start at most MAX_RESV_DELAY past), the nodes (each a known node, or ALL), another reservation of the same
 * nodes at the same time (refused unless either has OVERLAP or MAINT, as _resv_overlap skips them) and jobs that
 * would still run on them at the start (refused unless IGNORE_JOBS, as _job_overlap).
 */
final class ReservationChecks {
    /** slurmctld's MAX_RESV_DELAY: how far in the past a start may be given. */
    static final Duration MAX_DELAY = Duration.ofSeconds(600);

    private final Collection<AdvanceReservation> existing;
    private final List<String> hosts;
    private final Collection<JobRecord> active;
    private final Instant now;

    ReservationChecks(Collection<AdvanceReservation> existing, List<String> hosts, Collection<JobRecord> active,
            Instant now) {
        this.existing = existing;
        this.hosts = hosts;
        this.active = active;
        this.now = now;
    }

    AdvanceReservations.Outcome create(ReservationRequest.CreateReservation c, AdvanceReservation sameName) {
        if (sameName != null) {
            return AdvanceReservations.Outcome.refused(c.name(), ReservationRefusal.DUPLICATE_NAME,
                    "reservation " + c.name() + " exists already");
        }
        Instant end = c.endTime() != null ? c.endTime() : c.startTime().plusSeconds(c.durationSeconds());
        List<String> flags = new ArrayList<>(c.flags() == null ? List.of() : c.flags());
        flags.add(AdvanceReservation.SPEC_NODES);
        return judged(c.name(), c.startTime(), end, c.nodes(), c.users(), flags, true);
    }

    AdvanceReservations.Outcome update(ReservationRequest.UpdateReservation u, AdvanceReservation old) {
        Instant start = u.startTime() != null ? u.startTime() : old.startTime();
        Instant end = u.durationSeconds() != null ? start.plusSeconds(u.durationSeconds())
                : u.endTime() != null ? u.endTime() : old.endTime();
        List<String> flags = new ArrayList<>(old.flags());
        String nodes = u.nodes();
        if (nodes != null) {
            flags.remove(AdvanceReservation.ALL_NODES);
        } else {
            nodes = String.join(",", old.nodes());
        }
        return judged(u.name(), start, end, nodes, u.users() != null ? u.users() : old.users(), flags,
                u.startTime() != null);
    }

    private AdvanceReservations.Outcome judged(String name, Instant givenStart, Instant givenEnd, String nodeList,
            List<String> users, List<String> flags, boolean startGiven) {
        // Whole seconds, as slurmctld keeps them in time_t: what SQLite stores and a restarted head reads back.
        Instant start = givenStart.truncatedTo(ChronoUnit.SECONDS);
        Instant end = givenEnd.truncatedTo(ChronoUnit.SECONDS);
        if (startGiven && start.isBefore(now.minus(MAX_DELAY))) {
            return AdvanceReservations.Outcome.refused(name, ReservationRefusal.INVALID_TIME, "the start " + start
                    + " is more than " + MAX_DELAY.toSeconds() + " s past");
        }
        if (end.isBefore(now.minus(MAX_DELAY)) || !end.isAfter(start)) {
            return AdvanceReservations.Outcome.refused(name, ReservationRefusal.INVALID_TIME, "the end " + end
                    + (end.isAfter(start) ? " has passed" : " is not after the start " + start));
        }
        List<String> nodes;
        if (nodeList.equalsIgnoreCase(ReservationValidator.ALL)) {
            nodes = hosts;
            flags.add(AdvanceReservation.ALL_NODES);
        } else {
            nodes = List.copyOf(new LinkedHashSet<>(HostList.expand(nodeList)));
            for (String h : nodes) {
                if (!hosts.contains(h)) {
                    return AdvanceReservations.Outcome.refused(name, ReservationRefusal.INVALID_NODE, h
                            + " is no node");
                }
            }
        }
        if (nodes.isEmpty()) {
            return AdvanceReservations.Outcome.refused(name, ReservationRefusal.INVALID_NODE, "no node is known");
        }
        AdvanceReservation r = new AdvanceReservation(name, start, end, nodes,
                List.copyOf(new LinkedHashSet<>(users)), flags);
        String overlap = overlapping(r);
        if (overlap != null) {
            return AdvanceReservations.Outcome.refused(name, ReservationRefusal.OVERLAP, "reservation " + overlap
                    + " holds some of the same nodes at the same time; give Flags=OVERLAP to share them");
        }
        if (!r.has(AdvanceReservation.IGNORE_JOBS)) {
            JobRecord busy = runningInto(r);
            if (busy != null) {
                return AdvanceReservations.Outcome.refused(name, ReservationRefusal.NODES_BUSY, "job " + busy.id()
                        + " may still run on " + busy.allocation().hostnames() + " at the start;"
                        + " give Flags=IGNORE_JOBS to reserve the nodes all the same");
            }
        }
        return new AdvanceReservations.Outcome(ReservationResult.done(name, r), r, null);
    }

    /** Another reservation sharing a node and a moment with r, neither OVERLAP nor MAINT; null for none. */
    private String overlapping(AdvanceReservation r) {
        if (shares(r)) {
            return null;
        }
        for (AdvanceReservation o : existing) {
            if (!o.name().equals(r.name()) && !shares(o) && o.overlaps(r.startTime(), r.endTime())
                    && o.nodes().stream().anyMatch(r::holds)) {
                return o.name();
            }
        }
        return null;
    }

    private static boolean shares(AdvanceReservation r) {
        return r.has(AdvanceReservation.OVERLAP) || r.maintenance();
    }

    /**
     * A job running on one of r's nodes that may still run at its start: one whose time limit ends after it (a
     * suspended one, whose end nobody knows, always), not a job of r itself nor one being stopped already.
     */
    private JobRecord runningInto(AdvanceReservation r) {
        for (JobRecord j : active) {
            if (!AdvanceReservations.holdsNodes(j) || j.state() == JobState.COMPLETING
                    || r.name().equals(j.spec().reservation())
                    || j.allocation() == null
                    || j.allocation().nodes().stream().noneMatch(n -> r.holds(n.hostname()))) {
                continue;
            }
            Instant start = j.limitStart(now);
            boolean endless = j.state() == JobState.SUSPENDED || start == null;
            if (endless || start.plus(Release.limitOf(j.spec())).isAfter(r.startTime())) {
                return j;
            }
        }
        return null;
    }
}
