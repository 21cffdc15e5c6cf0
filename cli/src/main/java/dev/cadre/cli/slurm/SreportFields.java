package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Column;
import dev.cadre.cli.slurm.SreportRequest.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * The Format= fields of each report, matched as sreport's _setup_print_fields_list matches them (a prefix of at least
 * so many letters, in Slurm's order), with Slurm's widths; Used and Energy are as wide as sreport makes them from the
 * largest figure shown (sreport_set_usage_col_width), whatever %N says.
 */
final class SreportFields {
    /** A field: the letters its name needs, its header and width; {@code usage} for Used and Energy. */
    private record Field(String name, int least, String header, int width, boolean usage) {
    }

    private static final List<Field> CLUSTER = List.of(new Field("Accounts", 2, "Account", 15, false),
            new Field("Cluster", 2, "Cluster", 9, false), new Field("Login", 1, "Login", 9, false),
            new Field("Proper", 2, "Proper Name", 15, false), new Field("TresName", 5, "TRES Name", 14, false),
            new Field("Used", 1, "Used", 10, true), new Field("Energy", 1, "Energy", 10, true));
    private static final List<Field> USER = List.of(new Field("Accounts", 1, "Account", 15, false),
            new Field("Cluster", 1, "Cluster", 9, false), new Field("Energy", 1, "Energy", 10, true),
            new Field("Login", 1, "Login", 9, false), new Field("Proper", 1, "Proper Name", 15, false),
            new Field("TresName", 5, "TRES Name", 14, false), new Field("Used", 1, "Used", 10, true));
    private static final List<Field> JOB = List.of(new Field("Account", 1, "Account", 9, false),
            new Field("Acct", 4, "Account", 9, false), new Field("Cluster", 2, "Cluster", 9, false));

    private SreportFields() {
    }

    /** The user and account reports' columns, Format='s or the report's default. */
    static List<Column> usageColumns(SreportRequest r, long widest) throws SlurmUsageException {
        List<String> format = r.format();
        if (format.isEmpty()) {
            String fields = switch (r.kind()) {
                case ACCOUNT_BY_USER -> "Cluster,Ac,Login,Proper,";
                case USER_BY_ACCOUNT -> "Cluster,Login,Proper,Ac,";
                default -> "Cl,L,P,A,";
            };
            format = List.of((fields + (r.tres() != null ? "TresName,Used" : "Used,Energy")).split(","));
        }
        List<Column> out = new ArrayList<>();
        for (String f : format) {
            Field field = find(r.kind() == Kind.TOP_USAGE ? USER : CLUSTER, f);
            int width = field.usage() ? usageWidth(field.header().equals("Used") ? widest : 0, r.time())
                    : width(f, field.width());
            out.add(field.usage() ? PrintFields.number(field.header(), width) : PrintFields.text(field.header(), width));
        }
        return out;
    }

    /** The job reports' leading columns, Format='s or Cluster,Account. */
    static List<Column> jobColumns(SreportRequest r) throws SlurmUsageException {
        List<Column> out = new ArrayList<>();
        for (String f : r.format().isEmpty() ? List.of("Cl", "a") : r.format()) {
            Field field = find(JOB, f);
            out.add(PrintFields.text(field.header(), width(f, field.width())));
        }
        return out;
    }

    private static Field find(List<Field> table, String entry) throws SlurmUsageException {
        int percent = entry.indexOf('%');
        String name = percent < 0 ? entry : entry.substring(0, percent);
        for (Field f : table) {
            if (SreportCommandLine.abbrev(name, f.name(), f.least())) {
                return f;
            }
        }
        throw new SlurmUsageException(" Unknown field '" + name + "'");
    }

    /** "Login%20": a width of its own, atoi's; 0 keeps the field's. */
    static int width(String entry, int fallback) {
        int percent = entry.indexOf('%');
        int n = percent < 0 ? 0 : SlurmNumbers.leadingInt(entry.substring(percent + 1));
        return n == 0 ? fallback : n;
    }

    /** 8, and one more for each power of ten from 10^8 the figure (in seconds) reaches; 9 more for "(12.34%)". */
    static int usageWidth(long seconds, SreportTime time) {
        int width = 8;
        for (long order = 100_000_000L; order > 0 && seconds >= order && width < 25; order *= 10) {
            width++;
        }
        return time.withPercent() ? width + 9 : width;
    }
}
