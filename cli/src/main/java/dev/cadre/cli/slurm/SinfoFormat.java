package dev.cadre.cli.slurm;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** sinfo's -o/--format rendering, its grouping of nodes into lines and their order. */
public final class SinfoFormat {

    /**
     * sinfo's own formats, as its man page gives them. '#' is theirs too: the field is as wide as the longest
     * partition name or node list to print, and at least 9 (sinfo's MIN_PART_FIELD_SIZE, MIN_NODE_FIELD_SIZE).
     * The man page documents it but sinfo's parser does not accept it, so it works in these formats only.
     */
    public static final String DEFAULT = "%#P %.5a %.10l %.6D %.6t %N";
    public static final String LONG = "%#P %.5a %.10l %.10s %.4r %.8h %.10g %.6D %.11T %.11i %N";
    public static final String SUMMARIZE = "%#P %.5a %.10l %.16F %N";
    public static final String REASONS = "%20E %9u %19H %N";
    public static final String LONG_REASONS = "%20E %12U %19H %6t %N";
    // sinfo's code right-justifies the partition in its node formats, where its man page says %#P.
    public static final String NODES = "%#N %.6D %.#P %6t";
    public static final String LONG_NODES = "%#N %.6D %.#P %.11T %4c %.8z %.6m %.8d %.6w %.8f %20E";

    private static final int MIN_COMPUTED_WIDTH = 9;
    private static final DateTimeFormatter DATE_LINE =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ROOT);

    private SinfoFormat() {
    }

    /**
     * The lines sinfo prints for these nodes: the date line and header unless -h, then one line per group of nodes
     * that agree on what the format shows, ordered as sinfo orders them. Times are shown in the clock's zone.
     */
    public static List<String> render(SinfoOptions options, List<SinfoNode> nodes, Clock clock) {
        SlurmFormat.Parsed parsed = parse(options);
        List<SinfoGroup> groups = group(options, parsed, nodes);
        List<String> lines = new ArrayList<>();
        if (options.header() && options.longOutput()) {
            lines.add(DATE_LINE.format(clock.instant().atZone(clock.getZone())));
        }
        int nodeWidth = Math.max(MIN_COMPUTED_WIDTH,
                groups.stream().mapToInt(g -> g.nodeList().length()).max().orElse(0));
        int partitionWidth = Math.max(MIN_COMPUTED_WIDTH, SinfoGroup.PARTITION.length() + 1);
        if (options.header()) {
            lines.add(line(parsed, null, nodeWidth, partitionWidth, clock.getZone()));
        }
        groups.forEach(g -> lines.add(line(parsed, g, nodeWidth, partitionWidth, clock.getZone())));
        return lines;
    }

    /** sinfo's complaints about the format, e.g. "Invalid node format specification: Q". */
    public static List<String> problems(SinfoOptions options) {
        return parse(options).fields().stream().filter(f -> !known(f))
                .map(f -> "Invalid node format specification: " + (f.letter() == 0 ? "" : f.letter())).toList();
    }

    /** A built-in format's '#' is a modifier; in a user's format it is an unknown letter, as in sinfo. */
    private static SlurmFormat.Parsed parse(SinfoOptions options) {
        return SlurmFormat.parse(options.format(), options.builtInFormat() ? "#" : "");
    }

    private static boolean known(SlurmFormat.Field f) {
        return SinfoGroup.header(f.letter()) != null;
    }

    private static List<SinfoGroup> group(SinfoOptions options, SlurmFormat.Parsed parsed, List<SinfoNode> nodes) {
        List<SinfoGroup> groups = new ArrayList<>();
        if (!options.showsPartition()) {
            return groups;
        }
        StringBuilder shownLetters = new StringBuilder();
        parsed.fields().stream().filter(SinfoFormat::known).forEach(f -> shownLetters.append(f.letter()));
        String letters = shownLetters.toString();
        // sinfo lists every partition it shows, even one without nodes, when the format names partitions.
        if (!options.nodeOriented() && (letters.contains("P") || letters.contains("R"))) {
            groups.add(new SinfoGroup());
        }
        List<SinfoNode> shown = nodes.stream().filter(options::selects)
                .sorted((a, b) -> SinfoGroup.compareNames(a.name(), b.name())).toList();
        for (SinfoNode node : shown) {
            if (!options.nodeOriented() && takenByAny(groups, node, letters, options.exact())) {
                continue;
            }
            SinfoGroup g = new SinfoGroup();
            g.take(node, letters, options.exact());
            groups.add(g);
        }
        groups.sort(options.nodeOriented() ? SinfoGroup.BY_NAME : SinfoGroup.BY_STATE);
        return groups;
    }

    /** The first group that agrees with the node takes it, as in sinfo's _insert_node_ptr. */
    private static boolean takenByAny(List<SinfoGroup> groups, SinfoNode node, String letters, boolean exact) {
        for (SinfoGroup g : groups) {
            if (g.take(node, letters, exact)) {
                return true;
            }
        }
        return false;
    }

    private static String line(SlurmFormat.Parsed parsed, SinfoGroup group, int nodeWidth, int partitionWidth,
            ZoneId zone) {
        StringBuilder out = new StringBuilder(parsed.prefix());
        for (SlurmFormat.Field f : parsed.fields()) {
            if (!known(f)) {
                out.append(f.asWritten());
                continue;
            }
            int width = f.modifier().isEmpty() ? f.width() : "PR".indexOf(f.letter()) >= 0 ? partitionWidth : nodeWidth;
            String text = group == null ? SinfoGroup.header(f.letter()) : group.cell(f.letter(), width, zone);
            // Node list headers are the only text sinfo never cuts (when right-justified).
            boolean cut = group != null || "Nn".indexOf(f.letter()) < 0;
            out.append(SlurmFormat.pad(text, width, f.right(), cut)).append(f.suffix());
        }
        return out.toString();
    }
}
