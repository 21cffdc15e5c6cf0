package dev.cadre.cli.slurm;

import dev.cadre.protocol.DiagnosticsReport;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * sdiag's report in the layout of Slurm's sdiag.c, with the lines Cadre has figures for (cli/README.md names the ones
 * left out: the agent queues, the exit reasons of a pass, the backfill section, gettimeofday's latency, RPCs by user
 * and pending RPCs). A message type is its wire name in Slurm's spelling of RPC names (submit-job is SUBMIT_JOB),
 * without the RPC number in parentheses, which Cadre's messages do not have.
 */
public final class SdiagFormat {
    /** slurm_ctime2's "%a %b %d %T %Y", in the local time zone. */
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy",
            Locale.ROOT);
    private static final String STARS = "*******************************************************";

    /** How the message types are listed: -t by total time, -T by average time, else by count (sdiag's default). */
    public enum Order {
        COUNT, TOTAL_TIME, AVERAGE_TIME
    }

    private SdiagFormat() {
    }

    public static List<String> render(DiagnosticsReport r, Order order, ZoneId zone) {
        List<String> out = new ArrayList<>();
        out.add(STARS);
        out.add("sdiag output at " + when(r.time(), zone));
        out.add("Data since      " + when(r.since(), zone));
        out.add(STARS);
        out.add("Server thread count:  " + r.serverThreads());
        out.add("");
        DiagnosticsReport.Jobs j = r.jobs();
        out.add("Jobs submitted: " + j.submitted());
        out.add("Jobs started:   " + j.started());
        out.add("Jobs completed: " + j.completed());
        out.add("Jobs canceled:  " + j.cancelled());
        out.add("Jobs failed:    " + j.failed());
        out.add("");
        if (j.countedAt() != null) {
            out.add("Job states ts:  " + when(j.countedAt(), zone));
        }
        out.add("Jobs pending:   " + j.pending());
        out.add("Jobs running:   " + j.running());
        out.add("");
        DiagnosticsReport.Schedule s = r.schedule();
        out.add("Main schedule statistics (microseconds):");
        out.add("\tLast cycle:   " + s.lastMicros());
        out.add("\tMax cycle:    " + s.maxMicros());
        out.add("\tTotal cycles: " + s.cycles());
        if (s.cycles() > 0) {
            out.add("\tMean cycle:   " + s.meanMicros());
            out.add("\tMean depth cycle:  " + s.meanDepth());
        }
        long elapsed = r.time().getEpochSecond() - r.since().getEpochSecond();
        if (elapsed > 60) {
            out.add("\tCycles per minute: " + s.cycles() / (elapsed / 60));
        }
        out.add("");
        out.add("Remote Procedure Call statistics by message type");
        List<DiagnosticsReport.MessageTally> types = new ArrayList<>(r.messages());
        types.sort(comparator(order));
        for (DiagnosticsReport.MessageTally t : types) {
            out.add(String.format(Locale.ROOT, "\t%-40s count:%-6d ave_time:%-6d total_time:%d", rpcName(t.type()),
                    t.count(), t.averageMicros(), t.totalMicros()));
        }
        if (types.isEmpty()) {
            out.add("\tNo RPCs recorded yet.");
        }
        return out;
    }

    /** sdiag's sorts, each from the highest down; equal ones by name, so the order is stable. */
    private static Comparator<DiagnosticsReport.MessageTally> comparator(Order order) {
        Comparator<DiagnosticsReport.MessageTally> by = switch (order) {
            case COUNT -> Comparator.comparingLong(DiagnosticsReport.MessageTally::count);
            case TOTAL_TIME -> Comparator.comparingLong(DiagnosticsReport.MessageTally::totalMicros);
            case AVERAGE_TIME -> Comparator.comparingLong(DiagnosticsReport.MessageTally::averageMicros);
        };
        return by.reversed().thenComparing(DiagnosticsReport.MessageTally::type);
    }

    /** submit-job as SUBMIT_JOB: the letters, digits and underscores that tools reading sdiag expect of a name. */
    static String rpcName(String type) {
        return type.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String when(Instant t, ZoneId zone) {
        return CTIME.format(t.atZone(zone)) + " (" + t.getEpochSecond() + ")";
    }
}
