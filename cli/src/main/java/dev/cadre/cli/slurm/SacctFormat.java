package dev.cadre.cli.slurm;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/** sacct's fixed-width and parsable (-p / -P) rendering, with sacct's field table. */
public final class SacctFormat {

    /** sacct's field list when no --format is given. */
    public static final List<String> DEFAULT_FIELDS =
            List.of("JobID", "JobName", "Partition", "Account", "AllocCPUS", "State", "ExitCode");
    /** sacct -b. */
    public static final List<String> BRIEF_FIELDS = List.of("JobID", "State", "ExitCode");
    /** sacct -l: its long list, of which Cadre has values for some; the rest print blank as on a cluster
     *  without job accounting gathered. */
    public static final List<String> LONG_FIELDS = List.of("JobID", "JobIDRaw", "JobName", "Partition", "MaxVMSize",
            "MaxVMSizeNode", "MaxVMSizeTask", "AveVMSize", "MaxRSS", "MaxRSSNode", "MaxRSSTask", "AveRSS", "MaxPages",
            "MaxPagesNode", "MaxPagesTask", "AvePages", "MinCPU", "MinCPUNode", "MinCPUTask", "AveCPU", "NTasks",
            "AllocCPUS", "Elapsed", "State", "ExitCode", "AveCPUFreq", "ReqCPUFreqMin", "ReqCPUFreqMax",
            "ReqCPUFreqGov", "ReqMem", "ConsumedEnergy", "MaxDiskRead", "MaxDiskReadNode", "MaxDiskReadTask",
            "AveDiskRead", "MaxDiskWrite", "MaxDiskWriteNode", "MaxDiskWriteTask", "AveDiskWrite", "ReqTRES",
            "AllocTRES");

    /** How -p and -P separate fields. */
    public enum Parsable {
        /** Fixed-width columns with a dashes line under the header. */
        NO,
        /** sacct -p / --parsable: '|' after every field, the last one included. */
        TRAILING_BAR,
        /** sacct -P / --parsable2: '|' between fields only. */
        NO_TRAILING_BAR
    }

    /**
     * A field of sacct's table: its width (negative: left-justified), whether it is a number (never cut), and its
     * value; a null value prints blank.
     */
    private record Column(String name, int width, boolean number, BiFunction<SacctRow, ZoneId, String> value) {
    }

    private static Column text(String name, int width, BiFunction<SacctRow, ZoneId, String> value) {
        return new Column(name, width, false, value);
    }

    private static Column number(String name, int width, BiFunction<SacctRow, ZoneId, String> value) {
        return new Column(name, width, true, value);
    }

    private static Column blank(String name, int width) {
        return new Column(name, width, false, (r, z) -> null);
    }

    private static Column date(String name, BiFunction<SacctRow, ZoneId, Instant> value) {
        return new Column(name, 19, false, (r, z) -> SlurmTime.formatDate(value.apply(r, z), z));
    }

    /* In sacct's order: a field named by a prefix is the first one it begins. */
    private static final List<Column> COLUMNS = List.of(
            text("Account", 10, (r, z) -> r.account()), blank("AdminComment", 15),
            number("AllocCPUS", 10, (r, z) -> Integer.toString(r.allocCpus())), blank("AllocGRES", 12),
            text("AllocNodes", 10, (r, z) -> Integer.toString(r.nnodes())), blank("AllocTRES", 10),
            blank("AssocID", 7), blank("AveCPU", 10), blank("AveCPUFreq", 10), blank("AveDiskRead", 14),
            blank("AveDiskWrite", 14), blank("AvePages", 10), blank("AveRSS", 10), blank("AveVMSize", 10),
            blank("BlockID", 16), blank("Cluster", 10), blank("Comment", 14), blank("Constraints", 19),
            blank("ConsumedEnergy", 14), blank("ConsumedEnergyRaw", 17),
            text("CPUTime", 10, (r, z) -> SlurmTime.formatClock(r.elapsedSeconds() * r.allocCpus())),
            number("CPUTimeRAW", 10, (r, z) -> Long.toString(r.elapsedSeconds() * r.allocCpus())),
            text("DerivedExitCode", 15, (r, z) -> r.exitCode() + ":" + r.signal()),
            text("Elapsed", 10, (r, z) -> SlurmTime.formatClock(r.elapsedSeconds())),
            number("ElapsedRaw", 10, (r, z) -> Long.toString(r.elapsedSeconds())),
            date("Eligible", (r, z) -> r.eligible()), date("End", (r, z) -> r.end()),
            text("ExitCode", 8, (r, z) -> r.exitCode() + ":" + r.signal()), blank("Flags", 19), blank("GID", 6),
            blank("Group", 9), text("JobID", -12, (r, z) -> r.jobId()), text("JobIDRaw", -12, (r, z) -> r.jobIdRaw()),
            text("JobName", 10, (r, z) -> r.jobName()), blank("Layout", 9), blank("MaxDiskRead", 12),
            blank("MaxDiskReadNode", 15), blank("MaxDiskReadTask", 15), blank("MaxDiskWrite", 12),
            blank("MaxDiskWriteNode", 16), blank("MaxDiskWriteTask", 16), blank("MaxPages", 8),
            blank("MaxPagesNode", 12), blank("MaxPagesTask", 14), blank("MaxRSS", 10), blank("MaxRSSNode", 10),
            blank("MaxRSSTask", 10), blank("MaxVMSize", 10), blank("MaxVMSizeNode", 14), blank("MaxVMSizeTask", 14),
            blank("McsLabel", 12), blank("MinCPU", 10), blank("MinCPUNode", 10), blank("MinCPUTask", 10),
            number("NCPUS", 10, (r, z) -> Integer.toString(r.allocCpus())),
            number("NNodes", 8, (r, z) -> Integer.toString(r.nnodes())), text("NodeList", 15, (r, z) -> r.nodeList()),
            number("NTasks", 8, (r, z) -> r.ntasks() == null ? null : Integer.toString(r.ntasks())),
            number("Priority", 10, (r, z) -> r.priority() == null ? null : Long.toString(r.priority())),
            text("Partition", 10, (r, z) -> r.partition()), text("QOS", 10, (r, z) -> "normal"),
            blank("QOSRAW", 6), text("Reason", 22, (r, z) -> r.reason()), blank("ReqCPUFreq", 10),
            blank("ReqCPUFreqMin", 13), blank("ReqCPUFreqMax", 13), blank("ReqCPUFreqGov", 13),
            number("ReqCPUS", 8, (r, z) -> Integer.toString(r.allocCpus())), blank("ReqGRES", 12),
            blank("ReqMem", 10), text("ReqNodes", 8, (r, z) -> Integer.toString(r.nnodes())), blank("ReqTRES", 10),
            blank("Reservation", 20), blank("ReservationId", 8), blank("Reserved", 10), blank("ResvCPU", 10),
            blank("ResvCPURAW", 10), date("Start", (r, z) -> r.start()), text("State", 10, (r, z) -> r.state()),
            date("Submit", (r, z) -> r.submit()), text("Suspended", 10, (r, z) -> "00:00:00"),
            blank("SystemCPU", 10), blank("SystemComment", 15), text("Timelimit", 10, (r, z) -> r.timelimit()),
            blank("TimelimitRaw", 10), blank("TotalCPU", 10), blank("TRESUsageInAve", 14),
            blank("TRESUsageInMax", 14), blank("TRESUsageInMaxNode", 18), blank("TRESUsageInMaxTask", 18),
            blank("TRESUsageInMin", 14), blank("TRESUsageInMinNode", 18), blank("TRESUsageInMinTask", 18),
            blank("TRESUsageInTot", 14), blank("TRESUsageOutAve", 15), blank("TRESUsageOutMax", 15),
            blank("TRESUsageOutMaxNode", 19), blank("TRESUsageOutMaxTask", 19), blank("TRESUsageOutMin", 15),
            blank("TRESUsageOutMinNode", 19), blank("TRESUsageOutMinTask", 19), blank("TRESUsageOutTot", 15),
            blank("UID", 6), text("User", 9, (r, z) -> r.user()), blank("UserCPU", 10), blank("WCKey", 10),
            blank("WCKeyID", 10), text("WorkDir", 20, (r, z) -> r.workDir()));

    private SacctFormat() {
    }

    /** sacct -e: every field name, four to a line. */
    public static String helpFormat() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < COLUMNS.size(); i++) {
            out.append(String.format("%-20s", COLUMNS.get(i).name()));
            if (i % 4 == 3 || i == COLUMNS.size() - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The fields of a --format list, checked: sacct's complaint about the first it does not know. */
    public static List<String> check(List<String> fields) throws SlurmUsageException {
        for (String f : fields) {
            column(f);
        }
        return fields;
    }

    public static List<String> render(List<String> fields, List<SacctRow> rows, boolean header, boolean parsable)
            throws SlurmUsageException {
        return render(fields, rows, header, parsable ? Parsable.TRAILING_BAR : Parsable.NO, ZoneId.of("UTC"));
    }

    /**
     * Renders rows as sacct does. Field names are matched without regard to case, by prefix in sacct's order,
     * and may carry a width, "JobName%30" (a positive width right-justifies, a negative one left-justifies).
     *
     * @throws SlurmUsageException for a field sacct does not know, with sacct's message
     */
    public static List<String> render(List<String> fields, List<SacctRow> rows, boolean header, Parsable parsable,
            ZoneId zone) throws SlurmUsageException {
        List<Column> columns = new ArrayList<>();
        for (String field : fields) {
            columns.add(column(field));
        }
        List<String> lines = new ArrayList<>();
        if (header) {
            lines.add(line(columns, parsable, null, zone));
            if (parsable == Parsable.NO) {
                StringBuilder dashes = new StringBuilder();
                for (Column c : columns) {
                    dashes.append("-".repeat(Math.abs(c.width()))).append(' ');
                }
                lines.add(dashes.toString());
            }
        }
        for (SacctRow row : rows) {
            lines.add(line(columns, parsable, row, zone));
        }
        return lines;
    }

    private static Column column(String field) throws SlurmUsageException {
        String name = field.trim();
        Integer width = null;
        int percent = name.indexOf('%');
        if (percent >= 0) {
            width = SlurmNumbers.leadingInt(name.substring(percent + 1));
            name = name.substring(0, percent);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Column c : COLUMNS) {
            if (!lower.isEmpty() && c.name().toLowerCase(Locale.ROOT).startsWith(lower)) {
                // sacct ignores a zero width.
                return width == null || width == 0 ? c : new Column(c.name(), width, c.number(), c.value());
            }
        }
        throw new SlurmUsageException("sacct: error: Invalid field requested: \"" + name + "\"");
    }

    private static String line(List<Column> columns, Parsable parsable, SacctRow row, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            String value = row == null ? c.name() : c.value().apply(row, zone);
            if (parsable != Parsable.NO) {
                out.append(value == null ? "" : value);
                if (parsable == Parsable.TRAILING_BAR || i < columns.size() - 1) {
                    out.append('|');
                }
                continue;
            }
            int width = Math.abs(c.width());
            String text;
            if (value == null) {
                text = " ";
            } else if (row != null && !c.number() && value.length() > width) {
                text = value.substring(0, width - 1) + "+";
            } else if (row == null && value.length() > width) {
                // Headers are cut without a '+'.
                text = value.substring(0, width);
            } else {
                text = value;
            }
            String spaces = " ".repeat(Math.max(0, width - text.length()));
            out.append(c.width() < 0 ? text + spaces : spaces + text).append(' ');
        }
        return out.toString();
    }
}
