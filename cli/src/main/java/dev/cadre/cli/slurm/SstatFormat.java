package dev.cadre.cli.slurm;

import static dev.cadre.cli.slurm.PrintFields.number;
import static dev.cadre.cli.slurm.PrintFields.text;

import dev.cadre.cli.slurm.PrintFields.Column;
import dev.cadre.cli.slurm.PrintFields.Parsable;
import java.util.ArrayList;
import java.util.List;

/**
 * sstat's field table and rows (sstat.c, print.c). Cadre's figures are a task's CPU time, memory, virtual memory and
 * disk bytes: AveCPU, MinCPU, MaxRSS, AveRSS, MaxVMSize, AveVMSize, MaxDiskRead, AveDiskRead, MaxDiskWrite,
 * AveDiskWrite, their nodes and tasks, the cpu, fs/disk, mem and vmem of the TRESUsageIn fields and the fs/disk of the
 * TRESUsageOut ones. Fields Cadre cannot know (pages, energy, CPU frequency) print blank, as sacct leaves them.
 */
public final class SstatFormat {

    /** sstat's field list when neither -o nor -i is given (STAT_FIELDS), each named by a prefix as sstat names it. */
    public static final List<String> DEFAULT_FIELDS = List.of("jobid", "maxvmsize", "maxvmsizenode", "maxvmsizetask",
            "avevmsize", "maxrss", "maxrssnode", "maxrsstask", "averss", "maxpages", "maxpagesnode", "maxpagestask",
            "avepages", "mincpu", "mincpunode", "mincputask", "avecpu", "ntasks", "avecpufreq", "reqcpufreqmin",
            "reqcpufreqmax", "reqcpufreqgov", "consumedenergy", "maxdiskread", "maxdiskreadnode", "maxdiskreadtask",
            "avediskread", "maxdiskwrite", "maxdiskwritenode", "maxdiskwritetask", "avediskwrite", "tresusageinave",
            "tresusageinmax", "tresusageinmaxn", "tresusageinmaxt", "tresusageinmin", "tresusageinminn",
            "tresusageinmint", "tresusageintot", "tresusageoutave", "tresusageoutmax", "tresusageoutmaxn",
            "tresusageoutmaxt", "tresusageoutmin", "tresusageoutminn", "tresusageoutmint", "tresusageouttot");

    /* In sstat's order: a field named by a prefix is the first one it begins. */
    private static final List<Column> COLUMNS = List.of(
            text("AveCPU", 10), text("AveCPUFreq", 10), text("AveDiskRead", 12), text("AveDiskWrite", 12),
            text("AvePages", 10), text("AveRSS", 10), text("AveVMSize", 10), text("ConsumedEnergy", 14),
            number("ConsumedEnergyRaw", 17), text("JobID", -12), text("MaxDiskRead", 12),
            text("MaxDiskReadNode", 15), number("MaxDiskReadTask", 15), text("MaxDiskWrite", 12),
            text("MaxDiskWriteNode", 16), number("MaxDiskWriteTask", 16), text("MaxPages", 8),
            text("MaxPagesNode", 12), number("MaxPagesTask", 14), text("MaxRSS", 10), text("MaxRSSNode", 10),
            number("MaxRSSTask", 10), text("MaxVMSize", 10), text("MaxVMSizeNode", 14), number("MaxVMSizeTask", 14),
            text("MinCPU", 10), text("MinCPUNode", 10), number("MinCPUTask", 10), text("Nodelist", 20),
            number("NTasks", 8), text("Pids", 20), text("ReqCPUFreq", 10), text("ReqCPUFreqMin", 13),
            text("ReqCPUFreqMax", 13), text("ReqCPUFreqGov", 13), text("TRESUsageInAve", 14),
            text("TRESUsageInMax", 14), text("TRESUsageInMaxNode", 18), text("TRESUsageInMaxTask", 18),
            text("TRESUsageInMin", 14), text("TRESUsageInMinNode", 18), text("TRESUsageInMinTask", 18),
            text("TRESUsageInTot", 14), text("TRESUsageOutAve", 15), text("TRESUsageOutMax", 15),
            text("TRESUsageOutMaxNode", 19), text("TRESUsageOutMaxTask", 19), text("TRESUsageOutMin", 15),
            text("TRESUsageOutMinNode", 19), text("TRESUsageOutMinTask", 19), text("TRESUsageOutTot", 15));

    private SstatFormat() {
    }

    /** sstat -e: every field name in 17 columns, four to a line, one space between (_help_fields_msg). */
    public static String helpFormat() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < COLUMNS.size(); i++) {
            out.append((i & 3) != 0 ? " " : i > 0 ? "\n" : "");
            String name = COLUMNS.get(i).name();
            out.append(name).append(" ".repeat(Math.max(0, 17 - name.length())));
        }
        return out.append('\n').toString();
    }

    /** The fields of a --format list, checked: sstat's complaint about the first it does not know. */
    public static List<Column> check(List<String> fields) throws SlurmUsageException {
        List<Column> columns = new ArrayList<>();
        for (String f : fields) {
            columns.add(PrintFields.column(COLUMNS, f, "sstat"));
        }
        return columns;
    }

    /** The header and, in fixed-width columns, the dashes under it; printed before any job is read. */
    public static List<String> header(List<String> fields, Parsable parsable) throws SlurmUsageException {
        return PrintFields.header(check(fields), parsable, "|");
    }

    public static List<String> render(List<String> fields, List<SstatRow> rows, Parsable parsable, SacctUnits units)
            throws SlurmUsageException {
        List<Column> columns = check(fields);
        List<String> lines = new ArrayList<>();
        List<String> values = new ArrayList<>(columns.size());
        for (SstatRow row : rows) {
            values.clear();
            for (Column c : columns) {
                values.add(value(c.name(), row, units));
            }
            lines.add(PrintFields.row(columns, parsable, "|", values));
        }
        return lines;
    }

    /** The row's value in a column, null for blank: its own fields, then the per-task ones ({@link TaskUsageFields}). */
    private static String value(String column, SstatRow r, SacctUnits units) {
        return switch (column) {
            case "JobID" -> r.jobId();
            case "Nodelist" -> r.nodeList();
            case "Pids" -> r.pids();
            case "NTasks" -> r.ntasks() == null ? null : Integer.toString(r.ntasks());
            default -> TaskUsageFields.value(column, new TaskUsageFields.Figures(r.cpuMicros(), r.cpuNode(), r.rss(),
                    r.vmSize(), r.diskRead(), r.diskWrite()), units);
        };
    }
}
