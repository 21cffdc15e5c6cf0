package dev.cadre.cli.slurm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** squeue's output: the -o and -O formats, parsed once and rendered a line per job. */
public final class SqueueFormat {

    /** squeue's format when none is given. */
    public static final String DEFAULT = "%.18i %.9P %.8j %.8u %.2t %.10M %.6D %R";
    /** squeue -l, which Slurm gives as -O fields: "jobarrayid:.18 ,partition:.9 ,...". */
    public static final String LONG = "jobarrayid:.18 ,partition:.9 ,name:.8 ,username:.8 ,state:.8 ,timeused:.10 ,"
            + "timelimit:.9 ,numnodes:.6 ,reasonlist:0";
    /** -O's width for a field given without one. */
    static final int LONG_DEFAULT_WIDTH = 20;

    /**
     * One column: a known field, or (field null) a -o letter squeue does not know, printed as written.
     *
     * @param width 0 for no padding
     */
    record Column(SqueueField field, int width, boolean right, String suffix, String asWritten) {
    }

    /**
     * A parsed format.
     *
     * @param problems squeue's complaints, one line each ("Invalid job format specification: @")
     */
    public record Layout(String prefix, List<Column> columns, List<String> problems) {
        /** Whether a column shows a pending job's expected start or planned hosts, which only the head knows. */
        public boolean showsExpectedStarts() {
            for (Column c : columns) {
                if (c.field() != null && (c.field().letter() == 'S' || c.field().letter() == 'Y')) {
                    return true;
                }
            }
            return false;
        }
    }

    private SqueueFormat() {
    }

    /**
     * A -o format: text up to the first '%', then fields {@code %[.][width]letter[suffix]}, '.' meaning
     * right-justified. A letter squeue does not know is printed as written, after a complaint.
     */
    public static Layout parse(String format) {
        SlurmFormat.Parsed parsed = SlurmFormat.parse(format, "-");
        List<Column> columns = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (SlurmFormat.Field f : parsed.fields()) {
            SqueueField field = f.letter() == 0 ? null : SqueueField.byLetter(f.letter());
            if (field == null && f.letter() != 0) {
                problems.add("Invalid job format specification: " + f.letter());
            }
            columns.add(new Column(field, f.width(), f.right(), f.suffix(), f.asWritten()));
        }
        return new Layout(parsed.prefix(), columns, problems);
    }

    /**
     * A -O format: comma-separated {@code name[:[.]width[suffix]]}, names without regard to case; a field without
     * ':' is 20 wide. An unknown name prints nothing, after a complaint.
     */
    public static Layout parseLong(String format) {
        List<Column> columns = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String token : format.split(",")) {
            if (token.isEmpty()) {
                continue;
            }
            int colon = token.indexOf(':');
            String name = colon < 0 ? token : token.substring(0, colon);
            int width = LONG_DEFAULT_WIDTH;
            boolean right = false;
            String suffix = "";
            if (colon >= 0) {
                int i = colon + 1;
                if (i < token.length() && token.charAt(i) == '.') {
                    right = true;
                    i++;
                }
                int start = i;
                while (i < token.length() && Character.isDigit(token.charAt(i))) {
                    i++;
                }
                width = i > start ? Integer.parseInt(token.substring(start, Math.min(i, start + 6))) : 0;
                suffix = token.substring(i);
            }
            SqueueField field = SqueueField.byLongName(name);
            if (field == null) {
                problems.add("Invalid job format specification: " + name);
                continue;
            }
            columns.add(new Column(field, width, right, suffix, token));
        }
        return new Layout("", columns, problems);
    }

    /** The header line, as squeue prints it before the jobs. */
    public static String header(Layout layout) {
        return line(layout, null, null);
    }

    public static String line(Layout layout, SqueueJob job, Clock clock) {
        StringBuilder out = new StringBuilder(layout.prefix());
        for (Column c : layout.columns()) {
            if (c.field() == null) {
                out.append(c.asWritten());
                continue;
            }
            String text;
            boolean cut;
            if (job == null) {
                text = c.field().header();
                cut = c.field().cutsHeader();
            } else {
                SqueueField.Cell cell = c.field().value(job, clock);
                text = cell.text();
                cut = cell.cut();
            }
            out.append(SlurmFormat.pad(text == null ? "" : text, c.width(), c.right(), cut)).append(c.suffix());
        }
        return out.toString();
    }

    /** @return one line per job, preceded by the header line when {@code header} is set */
    public static List<String> render(Layout layout, List<SqueueJob> jobs, boolean header, Clock clock) {
        List<String> lines = new ArrayList<>();
        if (header) {
            lines.add(header(layout));
        }
        for (SqueueJob j : jobs) {
            lines.add(line(layout, j, clock));
        }
        return lines;
    }
}
