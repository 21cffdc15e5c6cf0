package dev.cadre.cli;

import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The text of one line 'cadre watch' prints for a record's state, from an event or from a read of the job. */
final class WatchLine {
    private WatchLine() {
    }

    /** A moment to the second, or "-" when unknown. */
    static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * "2026-11-21T10:00:00Z job 5 (name) PENDING -> RUNNING attempt 1 reason X exit 0". A named cancel says who named
     * it, by name as the event carries it (watch prints no uids; sacct's "CANCELLED by 1000" looks the name up):
     * "RUNNING -> COMPLETING attempt 1 reason CANCELLED by bob" for the kill, "COMPLETING -> CANCELLED by bob attempt
     * 1" for the end it brings, so that a watcher tells a user's cancel from the scheduler's own.
     *
     * @param cancelledBy the user the cancel-job named, else null
     */
    static String line(Instant time, String job, String name, JobState previous, JobState state, int attempt,
            String reason, Integer exitCode, Integer signal, String cancelledBy) {
        StringBuilder b = new StringBuilder(time(time));
        b.append(" job ").append(job);
        if (name != null && !name.isEmpty()) {
            b.append(" (").append(name).append(')');
        }
        b.append(' ');
        if (previous != null) {
            b.append(previous).append(" -> ");
        }
        boolean reasonShown = reason != null && !reason.isEmpty() && !reason.equals("None");
        String by = cancelledBy == null ? "" : " by " + cancelledBy;
        // After the state on the CANCELLED, as sacct puts it; after the reason CANCELLED on the kill's COMPLETING.
        boolean byTheState = state == JobState.CANCELLED || !reasonShown;
        b.append(state).append(byTheState ? by : "").append(" attempt ").append(attempt);
        if (reasonShown) {
            b.append(" reason ").append(reason).append(byTheState ? "" : by);
        }
        if (state.isTerminal() && exitCode != null) {
            b.append(" exit ").append(exitCode);
        }
        if (state.isTerminal() && signal != null && signal != 0) {
            b.append(" signal ").append(signal);
        }
        return b.toString();
    }
}
