package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply.ReservationResult;
import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.ReservationValidator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * slurmctld's create_resv and update_resv checks on a request that is valid on its own, in their order: the times
 * (a start at most MAX_RESV_DELAY past), the nodes (each a known node, or ALL), another reservation of the same
 * nodes at the same time (refused unless either has OVERLAP or MAINT, as _resv_overlap skips them; for one that
 * recurs, at any of their occurrences, as _resv_time_overlap) and jobs that would still run on them at the start
 * (refused unless IGNORE_JOBS, as _job_overlap). Nodes asked for by count are chosen ({@link NodeCountChoice});
 * an update's lists are changed as asked ({@link ReservationUpdate}).
 */
final class ReservationChecks {
    /** slurmctld's MAX_RESV_DELAY: how far in the past a start may be given. */
    static final Duration MAX_DELAY = Duration.ofSeconds(600);
    /** slurmctld's words for two recurring flags at once (create_resv). */
    static final String MULTIPLE_RECURRING = "Reservation has multiple reoccurring flags. Please specify only one"
            + " reoccurring flag";

    private final Collection<AdvanceReservation> existing;
    private final List<NodeRecord> nodes;
    private final List<String> hosts;
    private final Collection<JobRecord> active;
    private final Instant now;
    private final ZoneId zone;

    ReservationChecks(Collection<AdvanceReservation> existing, List<NodeRecord> nodes, Collection<JobRecord> active,
            Instant now, ZoneId zone) {
        this.existing = existing;
        this.nodes = nodes;
        this.hosts = nodes.stream().map(NodeRecord::hostname).distinct().toList();
        this.active = active;
        this.now = now;
        this.zone = zone;
    }

    AdvanceReservations.Outcome create(ReservationRequest.CreateReservation c, AdvanceReservation sameName) {
        if (sameName != null) {
            return AdvanceReservations.Outcome.refused(c.name(), ReservationRefusal.DUPLICATE_NAME,
                    "reservation " + c.name() + " exists already");
        }
        List<String> flags = new ArrayList<>(c.flags() == null ? List.of() : c.flags());
        if (flags.stream().filter(AdvanceReservation.RECURRING::contains).distinct().count() > 1) {
            return AdvanceReservations.Outcome.refused(c.name(), ReservationRefusal.NOT_SUPPORTED, MULTIPLE_RECURRING);
        }
        Instant end = c.endTime() != null ? c.endTime() : c.startTime().plusSeconds(c.durationSeconds());
        if (c.nodeCount() != null) {
            return judged(c.name(), c.startTime(), end, null, c.nodeCount(), c.users(), flags, true);
        }
        flags.add(AdvanceReservation.SPEC_NODES);
        return judged(c.name(), c.startTime(), end, c.nodes(), null, c.users(), flags, true);
    }

    AdvanceReservations.Outcome update(ReservationRequest.UpdateReservation u, AdvanceReservation old,
            Collection<JobRecord> inReservations) {
        ReservationUpdate merged = ReservationUpdate.of(u, old, hosts);
        if (merged.refusal() != null) {
            return merged.refusal();
        }
        Instant start = u.startTime() != null ? u.startTime() : old.startTime();
        Instant end = u.durationSeconds() != null ? start.plusSeconds(u.durationSeconds())
                : u.endTime() != null ? u.endTime() : old.endTime();
        AdvanceReservations.Outcome o = judged(u.name(), start, end, merged.nodes(), null, merged.users(),
                merged.flags(), u.startTime() != null);
        if (o.stored() == null) {
            return o;
        }
        for (JobRecord j : inReservations) {
            if (u.name().equals(j.spec().reservation()) && !o.stored().admits(j.spec().user())) {
                return AdvanceReservations.Outcome.refused(u.name(), ReservationRefusal.IN_USE, "Reservation update"
                        + " rejected because of JobId=" + j.id() + ": it would no longer admit user "
                        + j.spec().user());
            }
        }
        return o;
    }

    private AdvanceReservations.Outcome judged(String name, Instant givenStart, Instant givenEnd, String nodeList,
            Integer nodeCount, List<String> users, List<String> flags, boolean startGiven) {
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
        List<String> chosen;
        if (nodeCount != null) {
            AdvanceReservation wanted = new AdvanceReservation(name, start, end, List.of(), users, flags);
            chosen = NodeCountChoice.choose(nodeCount, wanted, nodes, existing, active, now, zone);
            if (chosen.isEmpty()) {
                return AdvanceReservations.Outcome.refused(name, ReservationRefusal.NODES_BUSY, "no " + nodeCount
                        + (nodeCount == 1 ? " node is" : " nodes are") + " up, free of jobs at the start and"
                        + " outside other reservations at its times, of " + hosts.size() + " known");
            }
        } else if (nodeList.equalsIgnoreCase(ReservationValidator.ALL)) {
            chosen = hosts;
            flags.add(AdvanceReservation.ALL_NODES);
        } else {
            chosen = List.copyOf(new LinkedHashSet<>(HostList.expand(nodeList)));
            for (String h : chosen) {
                if (!hosts.contains(h)) {
                    return AdvanceReservations.Outcome.refused(name, ReservationRefusal.INVALID_NODE, h
                            + " is no node");
                }
            }
        }
        if (chosen.isEmpty()) {
            return AdvanceReservations.Outcome.refused(name, ReservationRefusal.INVALID_NODE, "no node is known");
        }
        AdvanceReservation r = new AdvanceReservation(name, start, end, chosen,
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
            if (!o.name().equals(r.name()) && !shares(o) && o.nodes().stream().anyMatch(r::holds)
                    && Recurrence.shareAMoment(o, r, zone)) {
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
