package dev.cadre.cli.slurm;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Slurm's duration and date syntaxes (sbatch -t and --begin, squeue TIME columns). */
public final class SlurmTime {

    /** squeue prints INVALID beyond a year rather than a misleading day count. */
    private static final long YEAR_SECONDS = 365L * 24 * 60 * 60;
    private SlurmTime() {
    }

    /**
     * Parses an sbatch {@code --time} value.
     *
     * <p>Unlike Slurm, which keeps whole minutes and rounds seconds up, the result keeps the seconds
     * as written: Cadre's limit is in seconds.
     *
     * @return the limit in seconds, or null when the value means no limit ("0", "UNLIMITED", "INFINITE")
     */
    public static Long parseTimeLimit(String s) throws SlurmUsageException {
        if (s == null) {
            throw invalidLimit();
        }
        if (s.equalsIgnoreCase("UNLIMITED") || s.equalsIgnoreCase("INFINITE") || s.equals("-1")) {
            return null;
        }
        if (!isValidTimeSpec(s)) {
            throw invalidLimit();
        }
        long seconds;
        try {
            seconds = toSeconds(s);
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalidLimit();
        }
        // Slurm turns a zero limit into INFINITE, so "0", "0:0" and "0-0" all mean no limit.
        return seconds == 0 ? null : seconds;
    }

    /** squeue's TIME / TIME_LIMIT rendering: M:SS, H:MM:SS or D-HH:MM:SS. */
    public static String formatDuration(long seconds) {
        if (seconds < 0 || seconds > YEAR_SECONDS) {
            return "INVALID";
        }
        long days = seconds / 86400;
        long hours = seconds / 3600 % 24;
        long minutes = seconds / 60 % 60;
        long secs = seconds % 60;
        if (days > 0) {
            return days + "-" + two(hours) + ":" + two(minutes) + ":" + two(secs);
        }
        if (hours > 0) {
            return hours + ":" + two(minutes) + ":" + two(secs);
        }
        return minutes + ":" + two(secs);
    }

    /**
     * How Slurm's commands print a moment (slurm_make_time_str): local time in the form SLURM_TIME_FORMAT asks
     * ({@link SlurmTimeFormat}); Unknown for none.
     */
    public static String formatDate(Instant t, ZoneId zone) {
        return t == null ? "Unknown" : SlurmTimeFormat.inUse().format(t.atZone(zone), LocalDate.now(zone));
    }

    /** scontrol's RunTime and TimeLimit rendering (secs2time_str): HH:MM:SS or D-HH:MM:SS. */
    public static String formatClock(long seconds) {
        long s = Math.max(0, seconds);
        String clock = two(s / 3600 % 24) + ":" + two(s / 60 % 60) + ":" + two(s % 60);
        return s >= 86400 ? s / 86400 + "-" + clock : clock;
    }

    /**
     * sacct's TotalCPU, UserCPU and SystemCPU (print.c's _elapsed_time of seconds and microseconds): D-HH:MM:SS from a
     * day, HH:MM:SS from an hour, MM:SS.mmm below that when there are whole milliseconds, else 00:MM:SS; the
     * milliseconds are cut, not rounded.
     */
    public static String formatCpu(long micros) {
        long secs = Math.max(0, micros) / 1_000_000;
        long millis = Math.max(0, micros) % 1_000_000 / 1000;
        long days = secs / 86400;
        String minutesAndSeconds = two(secs / 60 % 60) + ":" + two(secs % 60);
        if (days > 0) {
            return days + "-" + two(secs / 3600 % 24) + ":" + minutesAndSeconds;
        }
        if (secs >= 3600) {
            return two(secs / 3600) + ":" + minutesAndSeconds;
        }
        if (millis > 0) {
            return minutesAndSeconds + "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + millis;
        }
        return "00:" + minutesAndSeconds;
    }

    /**
     * A task's CPU time as Slurm keeps it, in whole seconds (sacct's and sstat's AveCPU and MinCPU, the cpu of
     * sstat's TRESUsageIn fields): 00:MM:SS under an hour, HH:MM:SS, D-HH:MM:SS.
     */
    public static String formatTaskCpu(long micros) {
        return formatCpu(micros / 1_000_000 * 1_000_000);
    }

    /* printf's %02d, without loading java.util.Formatter (and with it regex) into a short command. */
    private static String two(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }

    /** Like {@link #formatDuration} but null (no limit) is shown as UNLIMITED. */
    public static String formatLimit(Long seconds) {
        return seconds == null ? "UNLIMITED" : formatDuration(seconds);
    }

    /**
     * Parses an sbatch {@code --begin} value: now[+count[seconds|minutes|hours|days|weeks]],
     * YYYY-MM-DD[THH:MM[:SS]], MMDD[YY], MM/DD[/YY], MM.DD[.YY], HH:MM[:SS] [AM|PM], midnight, noon,
     * elevenses, fika, teatime, today, tomorrow, and combinations such as "tomorrow noon".
     * A time without a date means its next occurrence, as in Slurm.
     */
    public static Instant parseBegin(String s, Instant now, ZoneId zone) throws SlurmUsageException {
        return new BeginTime(s, now, zone).parse();
    }

    /** Parses a --deadline value: the forms of {@link #parseBegin}; "Invalid --deadline specification" if not. */
    public static Instant parseDeadline(String s, Instant now, ZoneId zone) throws SlurmUsageException {
        return new BeginTime(s, now, zone, false, "deadline").parse();
    }

    /**
     * Parses sacct's -S or -E value: the forms of {@link #parseBegin}, "now-count[unit]" too, a time without a date
     * being its last occurrence.
     *
     * @throws SlurmUsageException "Invalid time specification (pos=N): TEXT", which sacct prints as it is
     */
    public static Instant parsePast(String s, Instant now, ZoneId zone) throws SlurmUsageException {
        return new BeginTime(s, now, zone, true, "begin").parseOrExplain();
    }

    /*
     * Mirrors Slurm's _is_valid_timespec: only digits, at most one '-' (before any ':'), at most two
     * ':', and enough digit groups that no field is left empty.
     */
    private static boolean isValidTimeSpec(String s) {
        int groups = 0;
        int dashes = 0;
        int colons = 0;
        boolean inDigits = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (!inDigits) {
                    groups++;
                    inDigits = true;
                }
            } else if (c == '-') {
                inDigits = false;
                dashes++;
                if (colons > 0) {
                    return false;
                }
            } else if (c == ':') {
                inDigits = false;
                colons++;
            } else {
                return false;
            }
        }
        if (groups == 0 || dashes > 1 || colons > 2) {
            return false;
        }
        // A leading '-' would make Slurm's sscanf read a negative day count.
        if (s.charAt(0) == '-') {
            return false;
        }
        int needed = dashes > 0 ? colons + 2 : colons + 1;
        return colons == 0 || groups >= needed;
    }

    private static long toSeconds(String s) {
        int dash = s.indexOf('-');
        if (dash >= 0) {
            long days = Long.parseLong(s.substring(0, dash));
            String rest = s.substring(dash + 1);
            // "days-" alone is accepted by Slurm and means whole days.
            String[] parts = rest.isEmpty() ? new String[0] : rest.split(":", -1);
            long hours = parts.length > 0 ? Long.parseLong(parts[0]) : 0;
            long minutes = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            long secs = parts.length > 2 ? Long.parseLong(parts[2]) : 0;
            return sum(Math.multiplyExact(days, 86400), Math.multiplyExact(hours, 3600),
                    Math.multiplyExact(minutes, 60), secs);
        }
        String[] parts = s.split(":", -1);
        if (parts.length == 3) {
            return sum(Math.multiplyExact(Long.parseLong(parts[0]), 3600),
                    Math.multiplyExact(Long.parseLong(parts[1]), 60), Long.parseLong(parts[2]), 0);
        }
        long minutes = Long.parseLong(parts[0]);
        long secs = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
        return sum(Math.multiplyExact(minutes, 60), secs, 0, 0);
    }

    private static long sum(long a, long b, long c, long d) {
        return Math.addExact(Math.addExact(a, b), Math.addExact(c, d));
    }

    private static SlurmUsageException invalidLimit() {
        return new SlurmUsageException("Invalid time limit specification");
    }
}
