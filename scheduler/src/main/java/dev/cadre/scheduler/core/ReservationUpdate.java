package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply.ReservationResult;
import dev.cadre.protocol.HostList;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nodes, users and flags {@code scontrol update ReservationName=X} leaves a reservation, as slurmctld's
 * update_resv makes them: flags taken away first (Flags-=), then added (Flags= and Flags+= both add), refused where
 * that would give it two recurring flags; Users=, Users+= and Users-= (_update_uid_list); Nodes=, Nodes+= and
 * Nodes-= (_get_update_node_bitmap), each named node known, after which the nodes count as named (SPEC_NODES) and
 * no longer as ALL. The times and the checks against other reservations and jobs follow in
 * {@link ReservationChecks}.
 *
 * @param nodes the host list (or ALL) the reservation is to hold
 * @param refusal the answer when the lists cannot be so changed, else null
 */
record ReservationUpdate(String nodes, List<String> users, List<String> flags, AdvanceReservations.Outcome refusal) {
    /** slurmctld's words for a second recurring flag in an update (update_resv). */
    static final String SECOND_RECURRING = "Cannot update reservation to have multiple reoccurring flags. Please"
            + " specify only one reoccurring flag";

    static ReservationUpdate of(ReservationRequest.UpdateReservation u, AdvanceReservation old, List<String> hosts) {
        String name = u.name();
        List<String> flags = new ArrayList<>(old.flags());
        if (u.removeFlags() != null) {
            flags.removeAll(u.removeFlags());
        }
        if (u.addFlags() != null) {
            Set<String> recurring = new LinkedHashSet<>();
            flags.stream().filter(AdvanceReservation.RECURRING::contains).forEach(recurring::add);
            u.addFlags().stream().filter(AdvanceReservation.RECURRING::contains).forEach(recurring::add);
            if (recurring.size() > 1) {
                return refused(AdvanceReservations.Outcome.refused(name, ReservationRefusal.NOT_SUPPORTED,
                        SECOND_RECURRING + " (it would have " + String.join(" and ", recurring) + ")"));
            }
            u.addFlags().stream().filter(f -> !flags.contains(f)).forEach(flags::add);
        }
        List<String> users = new ArrayList<>(u.users() != null ? u.users() : old.users());
        if (u.addUsers() != null) {
            u.addUsers().stream().filter(x -> !users.contains(x)).forEach(users::add);
        }
        if (u.removeUsers() != null) {
            users.removeAll(u.removeUsers());
        }
        if (users.isEmpty()) {
            return refused(AdvanceReservations.Outcome.refused(name, ReservationRefusal.NO_USERS, "it would admit no"
                    + " user; keep at least one"));
        }
        if (u.nodes() == null && u.addNodes() == null && u.removeNodes() == null) {
            return new ReservationUpdate(String.join(",", old.nodes()), users, flags, null);
        }
        flags.remove(AdvanceReservation.ALL_NODES);
        flags.add(AdvanceReservation.SPEC_NODES);
        if (u.nodes() != null) {
            return new ReservationUpdate(u.nodes(), users, flags, null);
        }
        Set<String> nodes = new LinkedHashSet<>(old.nodes());
        String[] lists = {u.addNodes(), u.removeNodes()};
        for (int i = 0; i < lists.length; i++) {
            if (lists[i] == null) {
                continue;
            }
            for (String h : HostList.expand(lists[i])) {
                if (!hosts.contains(h)) {
                    return refused(AdvanceReservations.Outcome.refused(name, ReservationRefusal.INVALID_NODE, h
                            + " is no node"));
                }
                if (i == 0) {
                    nodes.add(h);
                } else {
                    nodes.remove(h);
                }
            }
        }
        if (nodes.isEmpty()) {
            return refused(new AdvanceReservations.Outcome(ReservationResult.invalid(name, "removeNodes", "it would"
                    + " hold no node; delete it instead"), null, null));
        }
        return new ReservationUpdate(String.join(",", hosts.stream().filter(nodes::contains).toList()), users, flags,
                null);
    }

    private static ReservationUpdate refused(AdvanceReservations.Outcome o) {
        return new ReservationUpdate(null, null, null, o);
    }
}
