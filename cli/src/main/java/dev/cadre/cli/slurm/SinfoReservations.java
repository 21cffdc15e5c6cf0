package dev.cadre.cli.slurm;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.HostList;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * sinfo -T (--reservation): the reservations as Slurm's print_sinfo_reservation lists them, one line each under the
 * header RESV_NAME STATE START_TIME END_TIME DURATION NODELIST, or "No reservations in the system". A reservation is
 * ACTIVE from its start to its end, both included, by the caller's clock, as sinfo judges it.
 */
public final class SinfoReservations {
    /** The narrowest name column; sinfo widens it to the longest name only when it prints the header. */
    private static final int NAME_WIDTH = 9;

    private SinfoReservations() {
    }

    /** @param reservations in the order the head lists them */
    public static List<String> render(List<AdvanceReservation> reservations, boolean header, Instant now,
            ZoneId zone) {
        if (reservations.isEmpty()) {
            return List.of("No reservations in the system");
        }
        int width = NAME_WIDTH;
        if (header) {
            for (AdvanceReservation r : reservations) {
                width = Math.max(width, r.name().length());
            }
        }
        String format = "%-" + width + "s  %8s  %19s  %19s  %11s  %s";
        List<String> out = new ArrayList<>();
        if (header) {
            out.add(String.format(format, "RESV_NAME", "STATE", "START_TIME", "END_TIME", "DURATION", "NODELIST"));
        }
        for (AdvanceReservation r : reservations) {
            boolean active = !r.startTime().isAfter(now) && !r.endTime().isBefore(now);
            long seconds = Duration.between(r.startTime(), r.endTime()).toSeconds();
            out.add(String.format(format, r.name(), active ? "ACTIVE" : "INACTIVE",
                    SlurmTime.formatDate(r.startTime(), zone), SlurmTime.formatDate(r.endTime(), zone),
                    SlurmTime.formatClock(seconds), HostList.compress(r.nodes())));
        }
        return out;
    }
}
