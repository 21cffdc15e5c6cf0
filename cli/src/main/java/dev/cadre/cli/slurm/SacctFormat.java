package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** sacct's fixed-width and parsable (-p / -P) rendering. */
public final class SacctFormat {

    /** sacct's field list when no --format is given. */
    public static final List<String> DEFAULT_FIELDS =
            List.of("JobID", "JobName", "Partition", "Account", "AllocCPUS", "State", "ExitCode");

    /** How -p and -P separate fields. */
    public enum Parsable {
        /** Fixed-width columns with a dashes line under the header. */
        NO,
        /** sacct -p / --parsable: '|' after every field, the last one included. */
        TRAILING_BAR,
        /** sacct -P / --parsable2: '|' between fields only. */
        NO_TRAILING_BAR
    }

    /*
     * Widths and justification are sacct's: a negative width is left-justified. Text fields are cut
     * with a '+' in their last column; numbers are never cut.
     */
    private record Column(String name, int width, boolean number, Function<SacctRow, String> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("Account", 10, false, SacctRow::account),
            new Column("AllocCPUS", 10, true, r -> Integer.toString(r.allocCpus())),
            new Column("End", 19, false, SacctRow::end),
            new Column("ExitCode", 8, false, r -> r.exitCode() + ":" + r.signal()),
            new Column("JobID", -12, false, SacctRow::jobId),
            new Column("JobIDRaw", -12, false, SacctRow::jobIdRaw),
            new Column("JobName", 10, false, SacctRow::jobName),
            new Column("NCPUS", 10, true, r -> Integer.toString(r.allocCpus())),
            new Column("NodeList", 15, false, SacctRow::nodeList),
            new Column("Partition", 10, false, SacctRow::partition),
            new Column("Start", 19, false, SacctRow::start),
            new Column("State", 10, false, SacctRow::state));

    private SacctFormat() {
    }

    /**
     * Renders rows as sacct does. Field names are matched without regard to case and may carry a
     * width, "JobName%30" (a positive width right-justifies, a negative one left-justifies).
     *
     * @param parsable true for sacct -p output: '|' after every field, the last one included
     * @throws IllegalArgumentException for a field Cadre does not know, with sacct's message
     */
    public static List<String> render(List<String> fields, List<SacctRow> rows, boolean header, boolean parsable) {
        return render(fields, rows, header, parsable ? Parsable.TRAILING_BAR : Parsable.NO);
    }

    /** Like {@link #render(List, List, boolean, boolean)} with the choice of -p or -P. */
    public static List<String> render(List<String> fields, List<SacctRow> rows, boolean header, Parsable parsable) {
        List<Column> columns = new ArrayList<>();
        for (String field : fields) {
            columns.add(column(field));
        }
        List<String> lines = new ArrayList<>();
        if (header) {
            lines.add(line(columns, parsable, null));
            if (parsable == Parsable.NO) {
                StringBuilder dashes = new StringBuilder();
                for (Column c : columns) {
                    dashes.append("-".repeat(Math.abs(c.width()))).append(' ');
                }
                lines.add(dashes.toString());
            }
        }
        for (SacctRow row : rows) {
            lines.add(line(columns, parsable, row));
        }
        return lines;
    }

    private static Column column(String field) {
        String name = field.trim();
        Integer width = null;
        int percent = name.indexOf('%');
        if (percent >= 0) {
            width = leadingInt(name.substring(percent + 1));
            name = name.substring(0, percent);
        }
        for (Column c : COLUMNS) {
            if (c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                // sacct ignores a zero width.
                return width == null || width == 0 ? c : new Column(c.name(), width, c.number(), c.value());
            }
        }
        throw new IllegalArgumentException("Invalid field requested: \"" + name + "\"");
    }

    /* C's atoi(): an optional sign and digits, anything after ignored. */
    private static int leadingInt(String s) {
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i++) == '-';
        }
        int n = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && n < 100_000) {
            n = n * 10 + (s.charAt(i++) - '0');
        }
        return negative ? -n : n;
    }

    private static String line(List<Column> columns, Parsable parsable, SacctRow row) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            String value = row == null ? c.name() : c.value().apply(row);
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
