package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;

/** squeue's -o/--format rendering. */
public final class SqueueFormat {

    /** squeue's format when none is given. */
    public static final String DEFAULT = "%.18i %.9P %.8j %.8u %.2t %.10M %.6D %R";

    private SqueueFormat() {
    }

    /** A cell's text and whether squeue may cut it to the field width. */
    private record Cell(String text, boolean cut) {
    }

    /**
     * Renders rows with a squeue format: text before the first '%' and after each field is kept; a
     * field is {@code %[.][-][width]letter}, '.' meaning right-justified (the default is left).
     * Supported letters: i P j u t T M l D C R N r. An unknown letter is printed as written, as
     * squeue does after complaining (see {@link #problems}).
     *
     * @return one line per row, preceded by the header line when {@code header} is set
     */
    public static List<String> render(String format, List<SqueueRow> rows, boolean header) {
        SlurmFormat.Parsed parsed = SlurmFormat.parse(format, "-");
        List<String> lines = new ArrayList<>();
        if (header) {
            lines.add(line(parsed, null));
        }
        for (SqueueRow row : rows) {
            lines.add(line(parsed, row));
        }
        return lines;
    }

    /** squeue's complaints about a format, e.g. "Invalid job format specification: z". */
    public static List<String> problems(String format) {
        List<String> problems = new ArrayList<>();
        for (SlurmFormat.Field field : SlurmFormat.parse(format, "-").fields()) {
            if (field.letter() != 0 && headerOf(field.letter()) == null) {
                problems.add("Invalid job format specification: " + field.letter());
            }
        }
        return problems;
    }

    private static String line(SlurmFormat.Parsed parsed, SqueueRow row) {
        StringBuilder out = new StringBuilder(parsed.prefix());
        for (SlurmFormat.Field field : parsed.fields()) {
            if (headerOf(field.letter()) == null) {
                out.append(field.asWritten());
                continue;
            }
            Cell cell = row == null ? headerCell(field.letter()) : cell(field.letter(), row);
            out.append(SlurmFormat.pad(cell.text(), field.width(), field.right(), cell.cut())).append(field.suffix());
        }
        return out.toString();
    }

    private static String headerOf(char letter) {
        return switch (letter) {
            case 'i' -> "JOBID";
            case 'P' -> "PARTITION";
            case 'j' -> "NAME";
            case 'u' -> "USER";
            case 't' -> "ST";
            case 'T' -> "STATE";
            case 'M' -> "TIME";
            case 'l' -> "TIME_LIMIT";
            case 'D' -> "NODES";
            case 'C' -> "CPUS";
            case 'R' -> "NODELIST(REASON)";
            case 'N' -> "NODELIST";
            case 'r' -> "REASON";
            default -> null;
        };
    }

    private static Cell headerCell(char letter) {
        // squeue never cuts the node list headers.
        return new Cell(headerOf(letter), letter != 'R' && letter != 'N');
    }

    private static Cell cell(char letter, SqueueRow row) {
        String where = text(row.nodeListOrReason());
        boolean isReason = where.startsWith("(") && where.endsWith(")");
        return switch (letter) {
            case 'i' -> new Cell(text(row.jobId()), true);
            case 'P' -> new Cell(text(row.partition()), true);
            case 'j' -> new Cell(text(row.name()), true);
            case 'u' -> new Cell(text(row.user()), true);
            case 't' -> new Cell(text(row.stateCode()), true);
            case 'T' -> new Cell(text(row.state()), true);
            // Times are never cut, so a long one widens its column instead of lying.
            case 'M' -> new Cell(SlurmTime.formatDuration(row.elapsedSeconds()), false);
            case 'l' -> row.timeLimitSeconds() == null ? new Cell("UNLIMITED", true)
                    : new Cell(SlurmTime.formatDuration(row.timeLimitSeconds()), false);
            case 'D' -> new Cell(Integer.toString(row.nodes()), true);
            case 'C' -> new Cell(Integer.toString(row.cpus()), true);
            case 'R' -> new Cell(where, isReason);
            case 'N' -> new Cell(isReason ? "" : where, false);
            case 'r' -> new Cell(isReason ? where.substring(1, where.length() - 1) : "None", true);
            default -> throw new IllegalArgumentException("no squeue field " + letter);
        };
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
