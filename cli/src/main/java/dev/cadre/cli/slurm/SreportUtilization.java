package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Column;
import java.util.ArrayList;
import java.util.List;

/**
 * sreport's cluster Utilization table, as cluster_reports.c's cluster_utilization prints it (Slurm 23's field names):
 * one row for the cluster, each time a share of Reported (allocated + down + planned down + idle + planned) for the
 * percentages, and Reported a share of the period's seconds times the cluster's CPU count (Cadre's: the average,
 * Reported over the seconds). Each time column is as wide as sreport makes it from its figure, whatever %N says.
 */
final class SreportUtilization {
    /** A field: the letters its name needs (alternatives), its header and width; {@code time} for the time columns. */
    private record Field(List<String> names, List<Integer> least, String header, int width, boolean time) {
        static Field of(String name, int least, String header, int width, boolean time) {
            return new Field(List.of(name), List.of(least), header, width, time);
        }
    }

    /** In the order _setup_print_fields_list tries them: "planned" is PLND Down, and Planned is "res" (Reserved). */
    private static final List<Field> FIELDS = List.of(Field.of("Accounts", 2, "Account", 15, false),
            Field.of("allocated", 2, "Allocated", 12, true), Field.of("Cluster", 2, "Cluster", 9, false),
            Field.of("down", 1, "Down", 10, true), Field.of("idle", 1, "Idle", 12, true),
            Field.of("Login", 1, "Login", 9, false), Field.of("overcommitted", 1, "Over Comm", 9, true),
            Field.of("PlannedDown", 2, "PLND Down", 10, true), Field.of("Proper", 2, "Proper Name", 15, false),
            Field.of("reported", 3, "Reported", 12, true),
            Field.of("reserved", 3, "Planned", 9, true),
            new Field(List.of("TresCount", "cpucount", "count"), List.of(5, 2, 2), "TRES Count", 10, false),
            Field.of("TresName", 5, "TRES Name", 14, false), Field.of("Used", 1, "Used", 10, false),
            Field.of("WCKey", 2, "WCKey", 15, false), Field.of("Energy", 1, "Energy", 10, true));

    private SreportUtilization() {
    }

    static void addTable(List<String> out, SreportRequest r, SreportUsage.Utilization u, long seconds, String cluster)
            throws SlurmUsageException {
        List<String> format = r.format().isEmpty() ? List.of(((r.tres() != null ? "Cl,TresName," : "Cl,")
                + "al,d,planned,i,res,rep").split(",")) : r.format();
        long cpus = seconds == 0 ? 0 : u.reported() / seconds;
        List<Column> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String entry : format) {
            Field f = find(entry);
            long figure = figure(f.header(), u);
            int width = f.time() ? SreportFields.usageWidth(f.header().equals("Energy") ? u.allocated() : figure,
                    r.time()) : SreportFields.width(entry, f.width());
            columns.add(f.time() || f.header().equals("TRES Count") ? PrintFields.number(f.header(), width)
                    : PrintFields.text(f.header(), width));
            values.add(switch (f.header()) {
                case "Cluster" -> cluster;
                case "TRES Name" -> "cpu";
                case "TRES Count" -> Long.toString(cpus);
                case "Reported" -> r.time().format(u.reported(), seconds * cpus);
                case "Energy" -> r.time().format(0, 0);
                default -> f.time() ? r.time().format(figure, u.reported()) : null;
            });
        }
        if (r.header()) {
            out.addAll(PrintFields.header(columns, r.parsable(), "|"));
        }
        out.add(PrintFields.row(columns, r.parsable(), "|", values));
    }

    private static long figure(String header, SreportUsage.Utilization u) {
        return switch (header) {
            case "Allocated" -> u.allocated();
            case "Down" -> u.down();
            case "PLND Down" -> u.plannedDown();
            case "Idle" -> u.idle();
            case "Planned" -> u.planned();
            case "Reported" -> u.reported();
            default -> 0;
        };
    }

    private static Field find(String entry) throws SlurmUsageException {
        int percent = entry.indexOf('%');
        String name = percent < 0 ? entry : entry.substring(0, percent);
        for (Field f : FIELDS) {
            for (int i = 0; i < f.names().size(); i++) {
                if (SreportCommandLine.abbrev(name, f.names().get(i), f.least().get(i))) {
                    return f;
                }
            }
        }
        throw new SlurmUsageException(" Unknown field '" + name + "'");
    }
}
