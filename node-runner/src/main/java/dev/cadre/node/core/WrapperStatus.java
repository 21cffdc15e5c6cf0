package dev.cadre.node.core;

import dev.cadre.protocol.ResourceUsage;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The status file a job's wrapper writes once the script has ended (job-wrapper.c, job-wrapper.pl, JobWrapper's
 * perl), one line of fields apart by single spaces:
 *
 * <pre>EXIT SIGNAL [LEFT [USER SYSTEM MAXRSS [READ WRITE]]]</pre>
 *
 * EXIT and SIGNAL as wait(2) tells them; LEFT {@code 0} when nothing of the job ran any more, {@code 1} when
 * something did, {@code -} when the wrapper could not tell (no subreaper); USER and SYSTEM the CPU time of the script
 * and of the processes of it that the wrapper or its descendants reaped (getrusage's children), in microseconds, and
 * MAXRSS the largest resident memory one of them reached, in bytes; READ and WRITE the bytes they read from and wrote
 * to storage (read_bytes and write_bytes of the wrapper's own /proc/self/io once it has reaped them, which the kernel
 * added theirs to, less what it read before it started the script: its claim's write); each {@code -} when the
 * wrapper could not read it. Wrappers before usage wrote the first two or three fields only, which still read, with
 * no usage, and wrappers before disk figures six, which read with those unknown; any other line is no status. Pure.
 *
 * @param jobGone true when the wrapper saw that nothing of the job ran any more; false when something did, or when
 *     it could not tell
 * @param usage what the wrapper read of the script's use, null when the line has no such fields (an older wrapper)
 */
public record WrapperStatus(int exitCode, int signal, boolean jobGone, ResourceUsage usage) {
    /** What a wrapper writes for a figure it could not read. */
    public static final String UNKNOWN = "-";
    /** A figure: digits only, no sign, at most what a long holds (checked by the parse). */
    private static final Pattern FIGURE = Pattern.compile("[0-9]{1,19}");

    /** A status without usage, as a wrapper before usage recorded it (or as the runner infers one). */
    public WrapperStatus(int exitCode, int signal, boolean jobGone) {
        this(exitCode, signal, jobGone, null);
    }

    /** The status the line holds; empty when it holds none (cut short, or damaged). */
    public static Optional<WrapperStatus> parse(String text) {
        String[] fields = text.strip().split(" ", -1);
        if (fields.length != 2 && fields.length != 3 && fields.length != 6 && fields.length != 8) {
            return Optional.empty();
        }
        try {
            int exit = Integer.parseInt(fields[0]);
            int signal = Integer.parseInt(fields[1]);
            if (fields.length == 2) {
                return Optional.of(new WrapperStatus(exit, signal, false));
            }
            String left = fields[2];
            if (!left.equals("0") && !left.equals("1") && !left.equals(UNKNOWN)) {
                return Optional.empty();
            }
            boolean disk = fields.length == 8;
            ResourceUsage usage = fields.length == 3 ? null
                    : new ResourceUsage(figure(fields[3]), figure(fields[4]), figure(fields[5]), null,
                            disk ? figure(fields[6]) : null, disk ? figure(fields[7]) : null);
            return Optional.of(new WrapperStatus(exit, signal, left.equals("0"), usage));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @throws NumberFormatException when the field is neither a figure nor {@value #UNKNOWN} */
    private static Long figure(String field) {
        if (field.equals(UNKNOWN)) {
            return null;
        }
        if (!FIGURE.matcher(field).matches()) {
            throw new NumberFormatException("not a figure: " + field);
        }
        return Long.parseLong(field);
    }
}
