package dev.cadre.cli.slurm;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * SLURM_TIME_FORMAT, how Slurm's commands print a moment (parse_time.c's slurm_make_time_str): {@code standard}
 * (also when unset or empty) is ISO 8601 local time, {@code 2026-11-24T09:30:00}; {@code relative} is short and
 * relative to today ({@code 09:30:00} today, {@code Ystday 09:30}, {@code Tomorr 09:30}, {@code Wed 09:30} in the
 * coming week, {@code 24 Nov 09:30} within a year, else {@code 24 Nov 2027}); anything else is a strftime(3)
 * format, such as {@code %s} for seconds since the epoch, which scripts read. A value without a {@code %}, or of 32
 * characters or more, is invalid: Slurm then says so and prints the standard form.
 *
 * <p>Read once per command from its environment ({@link #useEnvironment}), as Slurm reads it with getenv, so that
 * every date of squeue, sacct, sinfo and scontrol follows it without each renderer taking it.
 */
public final class SlurmTimeFormat {
    public static final SlurmTimeFormat STANDARD = new SlurmTimeFormat(null, false);
    /** Slurm keeps the format in a 32-byte buffer: a longer one is refused. */
    private static final int MAX_LENGTH = 31;

    private static volatile SlurmTimeFormat inUse = STANDARD;
    private static volatile String complaint;
    private static volatile PrintStream complaints;

    /** The strftime pattern, or null for the standard or relative form. */
    private final String pattern;
    private final boolean relative;

    private SlurmTimeFormat(String pattern, boolean relative) {
        this.pattern = pattern;
        this.relative = relative;
    }

    /** @throws IllegalArgumentException with Slurm's message for an invalid value */
    public static SlurmTimeFormat parse(String value) {
        if (value == null || value.isEmpty() || value.equals("standard")) {
            return STANDARD;
        }
        if (value.equals("relative")) {
            return new SlurmTimeFormat(null, true);
        }
        if (value.indexOf('%') < 0 || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid SLURM_TIME_FORMAT = '" + value + "'");
        }
        return new SlurmTimeFormat(value, false);
    }

    /**
     * Makes the command's SLURM_TIME_FORMAT the one every date follows. An invalid value leaves the standard form;
     * the first date printed then says why on {@code err}, as {@code "squeue: error: invalid SLURM_TIME_FORMAT =
     * 'x'"}, once (Slurm says it at every date).
     */
    public static void useEnvironment(String value, String command, PrintStream err) {
        try {
            inUse = parse(value);
            complaint = null;
        } catch (IllegalArgumentException e) {
            inUse = STANDARD;
            complaint = command + ": error: " + e.getMessage();
            complaints = err;
        }
    }

    /** The format of this process's command, standard unless {@link #useEnvironment} said otherwise. */
    static SlurmTimeFormat inUse() {
        String said = complaint;
        if (said != null) {
            complaint = null;
            complaints.println(said);
        }
        return inUse;
    }

    /** @param today the day the relative form counts from, in the moment's zone */
    public String format(ZonedDateTime t, LocalDate today) {
        if (pattern != null) {
            return Strftime.format(pattern, t);
        }
        if (!relative) {
            return Strftime.format("%FT%T", t);
        }
        return Strftime.format(relativePattern(ChronoUnit.DAYS.between(today, t.toLocalDate())), t);
    }

    /**
     * _relative_date_fmt: the form by how many days away the moment is. Slurm counts days as year * 1000 + day of
     * the year, so its distances across a new year are off; these are the calendar's.
     */
    private static String relativePattern(long days) {
        if (days == -1) {
            return "Ystday %H:%M";
        }
        if (days == 0) {
            return "%H:%M:%S";
        }
        if (days == 1) {
            return "Tomorr %H:%M";
        }
        if (days < -365 || days > 365) {
            return "%-d %b %Y";
        }
        if (days < -1 || days > 6) {
            return "%-d %b %H:%M";
        }
        return "%a %H:%M";
    }
}
