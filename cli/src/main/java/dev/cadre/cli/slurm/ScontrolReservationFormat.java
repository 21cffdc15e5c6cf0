package dev.cadre.cli.slurm;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.HostList;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * scontrol show reservation's record (Slurm 23's slurm_sprint_reservation_info): five lines, or one with -o, then a
 * blank line; State=ACTIVE from its start to its end by the caller's clock, as scontrol judges it. What Cadre has no
 * notion of prints as Slurm prints an unset value, (null).
 */
public final class ScontrolReservationFormat {
    private ScontrolReservationFormat() {
    }

    /** @param cores the cores of each node by host name: CoreCnt and TRES count the reservation's nodes' */
    public static String render(AdvanceReservation r, Map<String, Integer> cores, Instant now, ZoneId zone,
            boolean oneLiner) {
        String gap = oneLiner ? " " : "\n   ";
        long duration = Duration.between(r.startTime(), r.endTime()).toSeconds();
        int coreCount = r.nodes().stream().mapToInt(n -> cores.getOrDefault(n, 0)).sum();
        boolean active = !r.startTime().isAfter(now) && !r.endTime().isBefore(now);
        StringBuilder b = new StringBuilder();
        b.append("ReservationName=").append(r.name()).append(" StartTime=").append(SlurmTime.formatDate(r.startTime(),
                zone)).append(" EndTime=").append(SlurmTime.formatDate(r.endTime(), zone)).append(" Duration=")
                .append(duration >= 0 ? SlurmTime.formatClock(duration) : "N/A").append(gap);
        b.append("Nodes=").append(HostList.compress(r.nodes())).append(" NodeCnt=").append(r.nodes().size())
                .append(" CoreCnt=").append(coreCount).append(" Features=(null) PartitionName=(null) Flags=")
                .append(String.join(",", r.flags())).append(gap);
        b.append("TRES=").append(coreCount > 0 ? "cpu=" + coreCount : "(null)").append(gap);
        b.append("Users=").append(String.join(",", r.users())).append(" Groups=(null) Accounts=(null)")
                .append(" Licenses=(null) State=").append(active ? "ACTIVE" : "INACTIVE")
                .append(" BurstBuffer=(null)").append(gap);
        b.append("MaxStartDelay=(null)").append(oneLiner ? "\n" : "\n\n");
        return b.toString();
    }
}
