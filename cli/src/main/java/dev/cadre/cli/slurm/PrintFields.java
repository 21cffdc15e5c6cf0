package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Slurm's print_fields.c, the table layout sacct and sstat share: a field of a --format list named by a prefix of its
 * name in the command's table, with an optional width ("JobName%30": positive right-justifies, negative
 * left-justifies); fixed-width columns under a dashes line, or -p / -P's delimited fields.
 */
public final class PrintFields {

    /** How -p and -P separate fields. */
    public enum Parsable {
        /** Fixed-width columns with a dashes line under the header. */
        NO,
        /** -p / --parsable: the delimiter ('|') after every field, the last one included. */
        TRAILING_BAR,
        /** -P / --parsable2: the delimiter ('|') between fields only. */
        NO_TRAILING_BAR
    }

    /** A field of a command's table: its width (negative: left-justified) and whether it is a number (never cut). */
    public record Column(String name, int width, boolean number) {
    }

    public static Column text(String name, int width) {
        return new Column(name, width, false);
    }

    public static Column number(String name, int width) {
        return new Column(name, width, true);
    }

    private PrintFields() {
    }

    /**
     * The column a --format entry names: the first of the table whose name it begins, without regard to case, with
     * the entry's width if it gives one other than 0.
     *
     * @param command the command's name, which starts its complaint
     * @throws SlurmUsageException {@code COMMAND: error: Invalid field requested: "NAME"}
     */
    public static Column column(List<Column> table, String field, String command) throws SlurmUsageException {
        String name = field.trim();
        Integer width = null;
        int percent = name.indexOf('%');
        if (percent >= 0) {
            width = SlurmNumbers.leadingInt(name.substring(percent + 1));
            name = name.substring(0, percent);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Column c : table) {
            if (!lower.isEmpty() && c.name().toLowerCase(Locale.ROOT).startsWith(lower)) {
                // Slurm ignores a zero width.
                return width == null || width == 0 ? c : new Column(c.name(), width, c.number());
            }
        }
        throw new SlurmUsageException(command + ": error: Invalid field requested: \"" + name + "\"");
    }

    /** The header line and, in fixed-width columns, the dashes line under it (print_fields_header). */
    public static List<String> header(List<Column> columns, Parsable parsable, String delimiter) {
        List<String> lines = new ArrayList<>();
        lines.add(line(columns, parsable, delimiter, null));
        if (parsable == Parsable.NO) {
            StringBuilder dashes = new StringBuilder();
            for (Column c : columns) {
                dashes.append("-".repeat(Math.abs(c.width()))).append(' ');
            }
            lines.add(dashes.toString());
        }
        return lines;
    }

    /**
     * One row: a value per column, null for blank. A text longer than its column is cut with a '+' at its end; a
     * number is never cut.
     */
    public static String row(List<Column> columns, Parsable parsable, String delimiter, List<String> values) {
        return line(columns, parsable, delimiter, values);
    }

    /** @param values null for the header, whose names are cut without a '+' */
    private static String line(List<Column> columns, Parsable parsable, String delimiter, List<String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            String value = values == null ? c.name() : values.get(i);
            if (parsable != Parsable.NO) {
                out.append(value == null ? "" : value);
                if (parsable == Parsable.TRAILING_BAR || i < columns.size() - 1) {
                    out.append(delimiter);
                }
                continue;
            }
            int width = Math.abs(c.width());
            String text;
            if (value == null) {
                text = " ";
            } else if (values != null && !c.number() && SlurmFormat.length(value) > width) {
                text = SlurmFormat.first(value, width - 1) + "+";
            } else if (values == null && SlurmFormat.length(value) > width) {
                text = SlurmFormat.first(value, width);
            } else {
                text = value;
            }
            String spaces = " ".repeat(Math.max(0, width - SlurmFormat.length(text)));
            out.append(c.width() < 0 ? text + spaces : spaces + text).append(' ');
        }
        return out.toString();
    }
}
