package dev.cadre.cli.slurm;

import static dev.cadre.cli.slurm.PrintFields.number;
import static dev.cadre.cli.slurm.PrintFields.text;

import dev.cadre.cli.slurm.PrintFields.Column;
import dev.cadre.cli.slurm.PrintFields.Parsable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

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

    /* In sacct's order: a field named by a prefix is the first one it begins. Fields Cadre has no value for
       print blank, as on a cluster that gathers no such accounting. */
    private static final List<Column> COLUMNS = List.of(
            text("Account", 10), text("AdminComment", 15), number("AllocCPUS", 10), text("AllocGRES", 12),
            text("AllocNodes", 10), text("AllocTRES", 10), text("AssocID", 7), text("AveCPU", 10),
            text("AveCPUFreq", 10), text("AveDiskRead", 14), text("AveDiskWrite", 14), text("AvePages", 10),
            text("AveRSS", 10), text("AveVMSize", 10), text("BlockID", 16), text("Cluster", 10),
            text("Comment", 14), text("Constraints", 19), text("ConsumedEnergy", 14),
            text("ConsumedEnergyRaw", 17), text("CPUTime", 10), number("CPUTimeRAW", 10),
            text("DerivedExitCode", 15), text("Elapsed", 10), number("ElapsedRaw", 10), text("Eligible", 19),
            text("End", 19), text("ExitCode", 8), text("Flags", 19), text("GID", 6), text("Group", 9),
            text("JobID", -12), text("JobIDRaw", -12), text("JobName", 10), text("Layout", 9),
            text("MaxDiskRead", 12), text("MaxDiskReadNode", 15), text("MaxDiskReadTask", 15),
            text("MaxDiskWrite", 12), text("MaxDiskWriteNode", 16), text("MaxDiskWriteTask", 16),
            text("MaxPages", 8), text("MaxPagesNode", 12), text("MaxPagesTask", 14), text("MaxRSS", 10),
            text("MaxRSSNode", 10), text("MaxRSSTask", 10), text("MaxVMSize", 10), text("MaxVMSizeNode", 14),
            text("MaxVMSizeTask", 14), text("McsLabel", 12), text("MinCPU", 10), text("MinCPUNode", 10),
            text("MinCPUTask", 10), number("NCPUS", 10), number("NNodes", 8), text("NodeList", 15),
            number("NTasks", 8), number("Priority", 10), text("Partition", 10), text("QOS", 10),
            text("QOSRAW", 6), text("Reason", 22), text("ReqCPUFreq", 10), text("ReqCPUFreqMin", 13),
            text("ReqCPUFreqMax", 13), text("ReqCPUFreqGov", 13), number("ReqCPUS", 8), text("ReqGRES", 12),
            text("ReqMem", 10), text("ReqNodes", 8), text("ReqTRES", 10), text("Reservation", 20),
            text("ReservationId", 8), text("Reserved", 10), text("ResvCPU", 10), text("ResvCPURAW", 10),
            text("Start", 19), text("State", 10), text("Submit", 19), text("Suspended", 10),
            text("SystemCPU", 10), text("SystemComment", 15), text("Timelimit", 10), text("TimelimitRaw", 10),
            text("TotalCPU", 10), text("TRESUsageInAve", 14), text("TRESUsageInMax", 14),
            text("TRESUsageInMaxNode", 18), text("TRESUsageInMaxTask", 18), text("TRESUsageInMin", 14),
            text("TRESUsageInMinNode", 18), text("TRESUsageInMinTask", 18), text("TRESUsageInTot", 14),
            text("TRESUsageOutAve", 15), text("TRESUsageOutMax", 15), text("TRESUsageOutMaxNode", 19),
            text("TRESUsageOutMaxTask", 19), text("TRESUsageOutMin", 15), text("TRESUsageOutMinNode", 19),
            text("TRESUsageOutMinTask", 19), text("TRESUsageOutTot", 15), text("UID", 6), text("User", 9),
            text("UserCPU", 10), text("WCKey", 10), text("WCKeyID", 10), text("WorkDir", 20));

    /**
     * The row's value in a column, null for blank: one switch on the name, not a function per field, since a short
     * command pays for every class it loads, and a lambda is one.
     */
    private static String value(String column, SacctRow r, ZoneId z, SacctUnits units) {
        return switch (column) {
            case "Account" -> r.account();
            case "AllocCPUS", "NCPUS", "ReqCPUS" -> Integer.toString(r.allocCpus());
            case "AllocNodes", "NNodes", "ReqNodes" -> Integer.toString(r.nnodes());
            case "CPUTime" -> SlurmTime.formatClock(r.elapsedSeconds() * r.allocCpus());
            case "CPUTimeRAW" -> Long.toString(r.elapsedSeconds() * r.allocCpus());
            // Slurm's sacct shows a job its memory watch killed as 0:125, whatever signal ended it.
            case "DerivedExitCode", "ExitCode" -> "OUT_OF_MEMORY".equals(r.state()) ? "0:125"
                    : r.exitCode() + ":" + r.signal();
            case "Elapsed" -> SlurmTime.formatClock(r.elapsedSeconds());
            case "ElapsedRaw" -> Long.toString(r.elapsedSeconds());
            case "Eligible" -> SlurmTime.formatDate(r.eligible(), z);
            case "End" -> SlurmTime.formatDate(r.end(), z);
            case "JobID" -> r.jobId();
            case "JobIDRaw" -> r.jobIdRaw();
            case "JobName" -> r.jobName();
            case "NodeList" -> r.nodeList();
            case "NTasks" -> r.ntasks() == null ? null : Integer.toString(r.ntasks());
            case "Priority" -> r.priority() == null ? null : Long.toString(r.priority());
            case "Partition" -> r.partition();
            case "QOS" -> "normal";
            case "Reason" -> r.reason();
            case "ReqMem" -> r.reqMemMb() == null ? null : units.megabytes(r.reqMemMb());
            case "Start" -> SlurmTime.formatDate(r.start(), z);
            case "State" -> r.state();
            case "Submit" -> SlurmTime.formatDate(r.submit(), z);
            case "Suspended" -> SlurmTime.formatClock(r.suspendedSeconds());
            case "Timelimit" -> r.timelimit();
            case "User" -> r.user();
            // Looked up where sacct runs; blank for a user unknown here, and on a step's row, as sacct leaves them.
            case "UID" -> UnixAccounts.system().uid(r.user()).orElse(null);
            case "GID" -> UnixAccounts.system().gid(r.user()).orElse(null);
            case "Group" -> UnixAccounts.system().group(r.user()).orElse(null);
            case "WorkDir" -> r.workDir();
            default -> SacctUsageColumns.value(column, r, units);
        };
    }

    /** Whether any of the fields shows what a run used (TotalCPU, MaxRSS, ...): only then are attempts read. */
    public static boolean showsUsage(List<String> fields) throws SlurmUsageException {
        for (String f : fields) {
            if (SacctUsageColumns.FIELDS.contains(column(f).name())) {
                return true;
            }
        }
        return false;
    }

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
        return render(fields, rows, header, parsable, "|", zone);
    }

    /** As {@link #render(List, List, boolean, Parsable, ZoneId)}, -p and -P separating fields by sacct --delimiter. */
    public static List<String> render(List<String> fields, List<SacctRow> rows, boolean header, Parsable parsable,
            String delimiter, ZoneId zone) throws SlurmUsageException {
        return render(fields, rows, header, parsable, delimiter, zone, SacctUnits.EXACT);
    }

    /** As {@link #render(List, List, boolean, Parsable, String, ZoneId)}, sizes in the units sacct was asked for. */
    public static List<String> render(List<String> fields, List<SacctRow> rows, boolean header, Parsable parsable,
            String delimiter, ZoneId zone, SacctUnits units) throws SlurmUsageException {
        List<Column> columns = new ArrayList<>();
        for (String field : fields) {
            columns.add(column(field));
        }
        List<String> lines = header ? PrintFields.header(columns, parsable, delimiter) : new ArrayList<>();
        List<String> values = new ArrayList<>(columns.size());
        for (SacctRow row : rows) {
            values.clear();
            for (Column c : columns) {
                values.add(value(c.name(), row, zone, units));
            }
            lines.add(PrintFields.row(columns, parsable, delimiter, values));
        }
        return lines;
    }

    private static Column column(String field) throws SlurmUsageException {
        return PrintFields.column(COLUMNS, field, "sacct");
    }
}
