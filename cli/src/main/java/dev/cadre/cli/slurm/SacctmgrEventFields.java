package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Column;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * sacctmgr show event's columns (common.c's _get_print_field, in its order, each name with the least letters it
 * takes) and the lines of an event list in them (event_functions.c's sacctmgr_list_event).
 */
public final class SacctmgrEventFields {
    /** What a column shows. */
    public enum Kind { CLUSTER_NODES, CLUSTER, CPUS, DURATION, EVENT_RAW, EVENT, NODE_NAME, REASON, STATE_RAW, STATE,
        END, START, TRES, USER }

    /** A column: its kind and the header and width it prints with (negative: left-justified). */
    public record Field(Kind kind, Column column) {
    }

    /** One event as the head keeps it: Cadre's status (DOWN, DRAINED), its span (end null while in force). */
    public record Event(String hostname, String status, Instant start, Instant end, int cores, String reason,
            String user) {
    }

    private record Name(String name, int least, Kind kind, String header, int width, boolean uncut) {
    }

    private static final List<Name> NAMES = List.of(new Name("ClusterNodes", 8, Kind.CLUSTER_NODES,
            "Cluster Nodes", 20, false), new Name("Clusters", 2, Kind.CLUSTER, "Cluster", 10, false),
            new Name("CPUCount", 2, Kind.CPUS, "CPU Cnt", 7, false),
            new Name("Duration", 2, Kind.DURATION, "Duration", 13, true),
            new Name("EventRaw", 6, Kind.EVENT_RAW, "EventRaw", 8, true),
            new Name("Event", 2, Kind.EVENT, "Event", 7, false),
            new Name("NodeNames", 5, Kind.NODE_NAME, "NodeName", -15, false),
            new Name("Reason", 1, Kind.REASON, "Reason", 30, false),
            new Name("StateRaw", 6, Kind.STATE_RAW, "StateRaw", 8, true),
            new Name("State", 1, Kind.STATE, "State", 6, false),
            new Name("TimeEnd", 6, Kind.END, "TimeEnd", 19, true), new Name("End", 2, Kind.END, "TimeEnd", 19, true),
            new Name("TimeStart", 7, Kind.START, "TimeStart", 19, true),
            new Name("Start", 3, Kind.START, "TimeStart", 19, true),
            new Name("TRES", 2, Kind.TRES, "TRES", 20, false), new Name("User", 1, Kind.USER, "User", 10, false));

    private SacctmgrEventFields() {
    }

    /**
     * A Format= entry, "Name" or "Name%width".
     *
     * @throws SlurmUsageException "Unknown field 'NAME'" for a name of none of the event columns
     */
    static Field field(String entry) throws SlurmUsageException {
        String name = entry;
        int width = 0;
        int percent = entry.indexOf('%');
        if (percent >= 0) {
            name = entry.substring(0, percent);
            width = SlurmNumbers.leadingInt(entry.substring(percent + 1));
        }
        for (Name n : NAMES) {
            if (SacctmgrCommandLine.abbrev(name, n.name(), n.least())) {
                return new Field(n.kind(), new Column(n.header(), width != 0 ? width : n.width(), n.uncut()));
            }
        }
        throw new SlurmUsageException("Unknown field '" + name + "'");
    }

    /**
     * The header lines and a line per event.
     *
     * @param cluster the cluster's name, as sacct and sreport print it
     * @param uid a user's uid, when this machine knows the user (the User column prints name(uid) as Slurm's)
     */
    public static List<String> lines(SacctmgrEvents request, List<Event> events, String cluster, Instant now,
            ZoneId zone, Function<String, Optional<String>> uid) {
        List<Column> columns = request.fields().stream().map(Field::column).toList();
        List<String> out = new ArrayList<>();
        if (request.header()) {
            out.addAll(PrintFields.header(columns, request.parsable(), "|"));
        }
        for (Event e : events) {
            List<String> values = new ArrayList<>();
            for (Field f : request.fields()) {
                values.add(value(f.kind(), e, cluster, now, zone, uid));
            }
            out.add(PrintFields.row(columns, request.parsable(), "|", values));
        }
        return out;
    }

    private static String value(Kind kind, Event e, String cluster, Instant now, ZoneId zone,
            Function<String, Optional<String>> uid) {
        boolean down = e.status().equals("DOWN");
        return switch (kind) {
            case CLUSTER -> cluster;
            case CLUSTER_NODES -> null;
            case CPUS -> Integer.toString(e.cores());
            case TRES -> "cpu=" + e.cores();
            case DURATION -> SlurmTime.formatClock(Math.max(0, Duration.between(e.start(), e.end() == null ? now
                    : e.end()).getSeconds()));
            // slurmdb's SLURMDB_EVENT_NODE
            case EVENT_RAW -> "2";
            case EVENT -> "Node";
            case NODE_NAME -> e.hostname();
            case REASON -> e.reason();
            // A node not responding is DOWN with NO_RESPOND (DOWN*, 0x801); a drained one IDLE with DRAIN (0x202).
            case STATE_RAW -> down ? "2049" : "514";
            case STATE -> down ? "DOWN*" : "DRAIN";
            case END -> SlurmTime.formatDate(e.end(), zone);
            case START -> SlurmTime.formatDate(e.start(), zone);
            case USER -> e.user() == null ? null : uid.apply(e.user()).map(u -> e.user() + "(" + u + ")")
                    .orElse(e.user());
        };
    }
}
