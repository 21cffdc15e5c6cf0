package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.AdvanceReservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which nodes an active advance reservation holds now, as slurmctld flags them for sinfo and scontrol show node: every
 * node of a reservation from its start to its end RESERVED, a MAINT one's MAINTENANCE too. Judged by the caller's
 * clock, as scontrol show reservation judges State=ACTIVE.
 */
public final class NodeReservations {
    private final Map<String, SinfoNode.Reserved> held;

    private NodeReservations(Map<String, SinfoNode.Reserved> held) {
        this.held = held;
    }

    /** @param reservations as GET /api/reservations lists them */
    public static NodeReservations of(Json reservations, Instant now) {
        return of(read(reservations), now);
    }

    /** The reservations GET /api/reservations lists, in its order. */
    public static List<AdvanceReservation> read(Json reservations) {
        List<AdvanceReservation> read = new ArrayList<>();
        for (Json r : reservations) {
            read.add(new AdvanceReservation(r.path("name").asText(), r.path("startTime").asInstant(),
                    r.path("endTime").asInstant(), names(r.path("nodes")), names(r.path("users")),
                    names(r.path("flags"))));
        }
        return read;
    }

    public static NodeReservations of(List<AdvanceReservation> reservations, Instant now) {
        Map<String, SinfoNode.Reserved> held = new HashMap<>();
        for (AdvanceReservation r : reservations) {
            if (r.startTime() == null || r.endTime() == null || !r.activeAt(now)) {
                continue;
            }
            SinfoNode.Reserved how = r.maintenance() ? SinfoNode.Reserved.MAINT : SinfoNode.Reserved.RESERVED;
            for (String host : r.nodes()) {
                held.merge(host, how, (a, b) -> a == SinfoNode.Reserved.MAINT ? a : b);
            }
        }
        return new NodeReservations(held);
    }

    /** The node as the reservations active now hold it. */
    public SinfoNode apply(SinfoNode node) {
        SinfoNode.Reserved how = held.get(node.name());
        return how == null ? node : node.reservedAs(how);
    }

    private static List<String> names(Json array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }
}
