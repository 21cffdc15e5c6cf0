package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Parsable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * sstat's command line, read as sstat's options.c reads it.
 *
 * @param fields the --format fields (-i's JobID,Nodelist,Pids among them, in the order given), else sstat's default
 * @param pidFormat -i: a row per node with its processes
 * @param units how sizes print: sacct's forms, --noconvert for bytes as they are
 * @param targets -j's steps (or the first operand's), each once, in the order given
 * @param help text to print instead of reading any job, else null
 */
public record SstatOptions(List<String> fields, boolean header, Parsable parsable, boolean pidFormat,
        SacctUnits units, List<SstatOptions.Target> targets, String help) implements CommandOptions.WithHelp {

    static final String USAGE = "Usage: sstat [options] -j <job(.stepid)>\n\tUse --help for help\n";
    static final String HELP = """
            sstat [<OPTION>] -j <job(.stepid)>
                Valid <OPTION> values are:
                  -a, --allsteps:
                               Print all steps for the given job(s) when no step is
                               specified.
                  -e, --helpformat:
                               Print a list of fields that can be specified with the
                               '--format' option
                 -h, --help:   Print this description of use.
                 -i, --pidformat:
                               Predefined format to list the pids running for each
                               job step.  (JobId,Nodes,Pids)
                 -j, --jobs:
                               Format is <job(.step)>. Stat this job step
                               or comma-separated list of job steps. This option is
                               required.  A Cadre job has one step, its batch step
                               (12.batch), which a job id alone also names; its
                               usage includes the remote commands (MPI ranks) the
                               job runs on every node of its allocation.
                 -n, --noheader:
                               No header will be added to the beginning of output.
                               The default is to print a header.
                 --noconvert:  Don't convert units from their original type
                               (e.g. 2048M won't be converted to 2G).
                 -o, --format:
                               Comma separated list of fields. (use "--helpformat"
                               for a list of available fields).
                 -p, --parsable: output will be '|' delimited with a '|' at the end
                 -P, --parsable2: output will be '|' delimited without a '|' at the end
                 --usage:      Display brief usage message.
                 -v, --verbose:
                               Primarily for debugging purposes, report the state of
                               various variables during processing.
                 -V, --version: Print version.

            """;

    /** What -i adds to the field list (STAT_FIELDS_PID). */
    static final String PID_FIELDS = "jobid,nodelist,pids";

    private static final Getopt OPTIONS = new Getopt("sstat", List.of(
            Getopt.Option.flag("allsteps", 'a'), Getopt.Option.flag("helpformat", 'e'),
            Getopt.Option.flag("help", 'h'), Getopt.Option.value("jobs", 'j'), Getopt.Option.flag("noheader", 'n'),
            Getopt.Option.value("format", 'o'), Getopt.Option.value("format", 'o').alias("fields"),
            Getopt.Option.flag("noconvert", (char) 0), Getopt.Option.flag("pidformat", 'i'),
            Getopt.Option.flag("parsable", 'p'), Getopt.Option.flag("parsable2", 'P'),
            Getopt.Option.flag("usage", (char) 0), Getopt.Option.flag("verbose", 'v'),
            Getopt.Option.flag("version", 'V')));

    /**
     * A step named by -j: a job ({@code 12}) or an array task ({@code 12_3}), with the step after its '.' as given,
     * or null when none was.
     */
    public record Target(SlurmJobId job, String step) {
        /** Whether it names the batch step, a Cadre job's only one: "12" or "12.batch" (in any case). */
        public boolean batch() {
            return step == null || step.toLowerCase(Locale.ROOT).equals("batch");
        }

        @Override
        public String toString() {
            return step == null ? job.toString() : job + "." + step;
        }
    }

    /**
     * @throws SlurmUsageException with the line sstat prints before it exits 1: getopt's complaint, an unknown field, a
     *         bad job id, or no job at all
     */
    public static SstatOptions parse(List<String> args) throws SlurmUsageException {
        Getopt.Parsed p;
        try {
            p = OPTIONS.parse(args);
        } catch (SlurmUsageException e) {
            // sstat exits on getopt's own complaint, without sacct's "Try --help" line.
            throw new SlurmUsageException(e.lines().get(0));
        }
        // -V prints at once, whatever else is given; of -h, -e and --usage the last one given counts.
        if (p.has("version")) {
            return help(CommandOptions.VERSION);
        }
        String help = null;
        for (Getopt.Use u : p.uses()) {
            help = switch (u.key()) {
                case "help" -> HELP;
                case "helpformat" -> SstatFormat.helpFormat();
                case "usage" -> USAGE;
                default -> help;
            };
        }
        if (help != null) {
            return help(help);
        }
        List<String> fields = new ArrayList<>();
        String jobs = null;
        for (Getopt.Use u : p.uses()) {
            if (u.key().equals("format") || u.key().equals("pidformat")) {
                for (String f : (u.key().equals("format") ? u.value() : PID_FIELDS).split(",")) {
                    if (!f.isBlank()) {
                        fields.add(f.strip());
                    }
                }
            } else if (u.key().equals("jobs")) {
                jobs = jobs == null ? u.value() : jobs + "," + u.value();
            }
        }
        // Of the operands, sstat takes the first as -j's list and leaves the rest.
        if (!p.operands().isEmpty()) {
            jobs = jobs == null ? p.operands().get(0) : jobs + "," + p.operands().get(0);
        }
        if (fields.isEmpty()) {
            fields = SstatFormat.DEFAULT_FIELDS;
        }
        SstatFormat.check(fields);
        List<Target> targets = targets(jobs);
        if (targets.isEmpty()) {
            throw new SlurmUsageException("sstat: error: You didn't give me any jobs to stat.");
        }
        Parsable parsable = p.has("parsable2") ? Parsable.NO_TRAILING_BAR
                : p.has("parsable") ? Parsable.TRAILING_BAR : Parsable.NO;
        return new SstatOptions(List.copyOf(fields), !p.has("noheader"), parsable, p.has("pidformat"),
                new SacctUnits(null, p.has("noconvert")), targets, null);
    }

    /** -j's entries, "12", "12_3", "12.batch", "12.0", each once; empty entries (",,") are skipped, as sstat does. */
    private static List<Target> targets(String jobs) throws SlurmUsageException {
        Set<Target> targets = new LinkedHashSet<>();
        if (jobs == null) {
            return List.of();
        }
        for (String entry : jobs.split(",")) {
            if (entry.isEmpty()) {
                continue;
            }
            int dot = entry.indexOf('.');
            String job = dot < 0 ? entry : entry.substring(0, dot);
            Optional<SlurmJobId> id = SlurmJobId.parse(job);
            if (id.isEmpty()) {
                throw new SlurmUsageException("sstat: error: Invalid job id specified: '" + entry
                        + "': a job is 12, an array task 12_3, either with a step (12.batch)");
            }
            targets.add(new Target(id.get(), dot < 0 ? null : entry.substring(dot + 1)));
        }
        return new ArrayList<>(targets);
    }

    private static SstatOptions help(String text) {
        return new SstatOptions(SstatFormat.DEFAULT_FIELDS, true, Parsable.NO, false, SacctUnits.EXACT, List.of(),
                text);
    }
}
