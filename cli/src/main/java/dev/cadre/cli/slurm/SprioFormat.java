package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * sprio's table, as its print.c prints it: the fields of -o (or sprio's default), each cut and padded to its width,
 * '.' right-justifying it; a header line, then a line per job, or with -w the factors' weights instead.
 *
 * <p>Cadre's priority has a site factor (1,000,000), an age factor, a fair-share factor of the head's weight (0 by
 * default) and the nice value (SprioJob); the other factors (association, job size, partition, QOS, TRES) have weight
 * 0, so the default formats leave them out, as sprio leaves out every factor whose weight is 0, fair share too while
 * its weight is 0. -l and -o still show them: 0, normalised 0.0000000.
 */
public final class SprioFormat {
    /** The letters --helpformat lists, in opts.c's order. */
    private static final String LETTERS = "aAbBcfFijJnNopPrSqQuyYtT";

    private SprioFormat() {
    }

    /**
     * sprio's default format for these options: the factors of weight 0 left out unless -l asks for all.
     *
     * @param fairShareWeight the head's --priority-weight-fairshare
     */
    static String defaultFormat(SprioOptions o, long fairShareWeight) {
        boolean fairShare = fairShareWeight > 0;
        if (o.normalised()) {
            return o.longList() ? "%.15i %9r %.8u %.8o %10y %10a %10b %10f %10j %10p %10n %10q %20t"
                    : "%.15i %9r" + (o.users() != null ? " %.8u" : "") + " %10y %10a" + (fairShare ? " %10f" : "");
        }
        return o.longList() ? "%.15i %9r %.8u %.8o %.10Y %.10S %.10A %.10B %.10F %.10J %.10P %.10n %.10Q %.11N %.20T"
                : "%.15i %9r" + (o.users() != null ? " %.8u" : "") + " %.10Y %.10S %.10A" + (fairShare ? " %.10F" : "");
    }

    /**
     * The format's prefix and fields.
     *
     * @throws SlurmUsageException for a letter sprio has no field for (sprio itself says so and leaves it out)
     */
    static SlurmFormat.Parsed fields(SprioOptions o) throws SlurmUsageException {
        return fields(o, 0);
    }

    private static SlurmFormat.Parsed fields(SprioOptions o, long fairShareWeight) throws SlurmUsageException {
        String format = o.format() != null ? o.format() : defaultFormat(o, fairShareWeight);
        SlurmFormat.Parsed parsed = SlurmFormat.parse(format, "");
        for (SlurmFormat.Field f : parsed.fields()) {
            if (f.letter() == 0 || LETTERS.indexOf(f.letter()) < 0) {
                throw new SlurmUsageException("sprio: error: Invalid job format specification: "
                        + (f.letter() == 0 ? f.token() : String.valueOf(f.letter())));
            }
        }
        return parsed;
    }

    /**
     * The lines sprio prints: the header (unless -h), then the weights (-w) or the jobs in -S's order. With -j and
     * no job to show, sprio's one line saying so instead.
     */
    public static List<String> render(SprioOptions o, List<SprioJob> jobs) {
        return render(o, jobs, 0);
    }

    /** As {@link #render(SprioOptions, List)}, at the head's --priority-weight-fairshare. */
    public static List<String> render(SprioOptions o, List<SprioJob> jobs, long fairShareWeight) {
        SlurmFormat.Parsed parsed;
        try {
            parsed = fields(o, fairShareWeight);
        } catch (SlurmUsageException e) {
            throw new IllegalArgumentException("options are checked when read", e);
        }
        List<String> lines = new ArrayList<>();
        if (o.jobs() != null && jobs.isEmpty()) {
            lines.add("Unable to find jobs matching user/id(s) specified");
            return lines;
        }
        if (o.header()) {
            lines.add(line(parsed, Row.HEADER, null, fairShareWeight));
        }
        if (o.weights()) {
            lines.add(line(parsed, Row.WEIGHTS, null, fairShareWeight));
            return lines;
        }
        for (SprioJob j : SprioOrder.sorted(jobs, o.sort())) {
            lines.add(line(parsed, Row.JOB, j, fairShareWeight));
        }
        return lines;
    }

    private enum Row { HEADER, WEIGHTS, JOB }

    private static String line(SlurmFormat.Parsed parsed, Row row, SprioJob j, long fairShareWeight) {
        StringBuilder b = new StringBuilder(parsed.prefix());
        for (SlurmFormat.Field f : parsed.fields()) {
            String text = row == Row.HEADER ? header(f.letter())
                    : row == Row.WEIGHTS ? weight(f.letter(), fairShareWeight)
                    : value(f.letter(), j);
            b.append(SlurmFormat.pad(text, f.width(), f.right(), true)).append(f.suffix());
        }
        return b.toString();
    }

    private static String header(char letter) {
        return switch (letter) {
            case 'a', 'A' -> "AGE";
            case 'b', 'B' -> "ASSOC";
            case 'c' -> "CLUSTER";
            case 'f', 'F' -> "FAIRSHARE";
            case 'i' -> "JOBID";
            case 'j', 'J' -> "JOBSIZE";
            case 'n' -> "QOSNAME";
            case 'N' -> "NICE";
            case 'o' -> "ACCOUNT";
            case 'p', 'P', 'r' -> "PARTITION";
            case 'q', 'Q' -> "QOS";
            case 'S' -> "SITE";
            case 't', 'T' -> "TRES";
            case 'u' -> "USER";
            default -> "PRIORITY";
        };
    }

    /** The -w line: each factor's weight, those Cadre's rule gives; blank for what is not a factor. */
    private static String weight(char letter, long fairShareWeight) {
        return switch (letter) {
            case 'i' -> "Weights";
            case 'a', 'A' -> Long.toString(SprioJob.AGE_WEIGHT);
            case 'S' -> Long.toString(SprioJob.SITE_WEIGHT);
            case 'f', 'F' -> Long.toString(fairShareWeight);
            case 'b', 'B', 'j', 'J', 'p', 'P', 'q', 'Q' -> "0";
            default -> "";
        };
    }

    private static String value(char letter, SprioJob j) {
        // A fixed priority is Slurm's direct priority: each factor, and the nice value, shows 0.
        return switch (letter) {
            case 'i' -> Long.toString(j.id());
            case 'r' -> j.partition();
            case 'u' -> j.user();
            // Cadre has no accounts, one cluster and every job in the QOS squeue shows.
            case 'o' -> "(null)";
            case 'c' -> SlurmClusters.DEFAULT_NAME;
            case 'n' -> "normal";
            case 'Y' -> Long.toString(j.priority());
            case 'y' -> normalisedPriority(j);
            case 'S' -> Long.toString(j.site());
            case 'A' -> Long.toString(j.age());
            case 'a' -> j.fixed() ? "0" : fraction(j.normalisedAge());
            case 'N' -> Integer.toString(j.nice());
            case 'F' -> Long.toString(j.fairShare());
            case 'f' -> j.fixed() ? "0" : fraction(j.fairShareFactor());
            case 'B', 'J', 'P', 'Q' -> "0";
            case 'b', 'j', 'p', 'q' -> j.fixed() ? "0" : fraction(0);
            default -> "";
        };
    }

    /**
     * %y: the priority over the largest Slurm has (2^32 - 1), as squeue's %p; a direct (fixed) priority is printed
     * as it is, in the same form, as sprio prints it.
     */
    static String normalisedPriority(SprioJob j) {
        return j.fixed() ? String.format(Locale.ROOT, "%.14f", (double) j.priority())
                : SqueueField.normalisedPriority(j.priority());
    }

    /** A normalised factor, as sprio prints one: seven decimals. */
    private static String fraction(double value) {
        return String.format(Locale.ROOT, "%.7f", value);
    }

    /** --helpformat: every field letter, eight to a line, each as "%X" padded to six. */
    static String helpFormat() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < LETTERS.length(); i++) {
            if (i > 0 && i % 8 == 0) {
                b.append('\n');
            }
            b.append('%').append(String.format(Locale.ROOT, "%-5c", LETTERS.charAt(i)));
        }
        return b.append('\n').toString();
    }
}
