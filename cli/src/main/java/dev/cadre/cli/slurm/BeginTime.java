package dev.cadre.cli.slurm;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * One time value being read, for sbatch --begin and --deadline or sacct -S/-E; follows the shape of Slurm's
 * parse_time(). A --begin time given without a date means its next occurrence; sacct's means its last (Slurm's "past"
 * flag).
 */
final class BeginTime {

    private static final String[] UNITS = {"seconds", "second", "minutes", "minute", "hours", "hour",
        "days", "day", "weeks", "week"};
    private static final long[] UNIT_SECONDS = {1, 1, 60, 60, 3600, 3600, 86400, 86400, 604800, 604800};

    private final String text;
    private final String lower;
    private final ZonedDateTime now;
    private final boolean past;
    /** The option named when the text is no time ("begin", "deadline"). */
    private final String option;
    private int pos;
    private LocalDate date;
    private boolean yearGiven = true;
    private LocalTime time;

    BeginTime(String text, Instant now, ZoneId zone) {
        this(text, now, zone, false, "begin");
    }

    /**
     * @param past a time without a date is its last occurrence, not its next
     * @param option the option read, named in the error
     */
    BeginTime(String text, Instant now, ZoneId zone, boolean past, String option) {
        this.past = past;
        this.option = option;
        this.text = text == null ? "" : text;
        this.lower = this.text.toLowerCase(Locale.ROOT);
        this.now = now.atZone(zone).truncatedTo(ChronoUnit.SECONDS);
    }

    /** As sacct reads -S and -E: failing with parse_time's own message, which names where it stopped. */
    Instant parseOrExplain() throws SlurmUsageException {
        try {
            return parse();
        } catch (SlurmUsageException e) {
            throw new SlurmUsageException("Invalid time specification (pos=" + pos + "): " + text);
        }
    }

    Instant parse() throws SlurmUsageException {
        try {
            while (pos < text.length() && text.charAt(pos) != '\n') {
                step();
            }
            return resolve();
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw invalid(option);
        }
    }

    private void step() throws SlurmUsageException {
        char c = text.charAt(pos);
        if (keyword("today")) {
            date = now.toLocalDate();
        } else if (keyword("tomorrow")) {
            date = now.toLocalDate().plusDays(1);
        } else if (keyword("midnight")) {
            time = LocalTime.MIDNIGHT;
        } else if (keyword("noon")) {
            time = LocalTime.NOON;
        } else if (keyword("elevenses")) {
            time = LocalTime.of(11, 0);
        } else if (keyword("fika")) {
            time = LocalTime.of(15, 0);
        } else if (keyword("teatime")) {
            time = LocalTime.of(16, 0);
        } else if (keyword("now")) {
            LocalDateTime later = now.plusSeconds(offset()).toLocalDateTime();
            date = later.toLocalDate();
            time = later.toLocalTime();
        } else if (c == ' ' || c == '\t' || c == '-' || c == 'T') {
            pos++;
        } else if (!isDigit(pos)) {
            throw invalid(option);
        } else if (charAt(pos + 1) == ':' || charAt(pos + 2) == ':') {
            readClock();
        } else {
            readDate();
        }
    }

    private boolean keyword(String word) {
        if (lower.startsWith(word, pos)) {
            pos += word.length();
            return true;
        }
        return false;
    }

    /* After "now": blanks, then nothing or [+|-]count[unit]. */
    private long offset() throws SlurmUsageException {
        while (charAt(pos) == ' ' || charAt(pos) == '\t') {
            pos++;
        }
        char sign = charAt(pos);
        if (sign == 0 || sign == '\n') {
            return 0;
        }
        if (sign != '+' && sign != '-') {
            throw invalid(option);
        }
        pos++;
        long count = 0;
        boolean digits = false;
        while (pos < text.length() && text.charAt(pos) != '\n') {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (isDigit(pos)) {
                count = Math.addExact(Math.multiplyExact(count, 10), c - '0');
                digits = true;
                pos++;
            } else {
                int unit = unitAt();
                if (unit < 0) {
                    throw invalid(option);
                }
                pos += UNITS[unit].length();
                count = Math.multiplyExact(count, UNIT_SECONDS[unit]);
                break;
            }
        }
        if (!digits) {
            throw invalid(option);
        }
        return sign == '-' ? -count : count;
    }

    private int unitAt() {
        for (int i = 0; i < UNITS.length; i++) {
            if (lower.startsWith(UNITS[i], pos)) {
                return i;
            }
        }
        return -1;
    }

    /* HH:MM[:SS] [AM|PM] */
    private void readClock() throws SlurmUsageException {
        int hour = number(1, 2);
        if (hour > 23 || charAt(pos) != ':') {
            throw invalid(option);
        }
        pos++;
        int minute = number(2, 2);
        int second = 0;
        if (charAt(pos) == ':') {
            pos++;
            second = number(2, 2);
        }
        if (minute > 59 || second > 59) {
            throw invalid(option);
        }
        int mark = pos;
        while (charAt(pos) == ' ' || charAt(pos) == '\t') {
            pos++;
        }
        if (lower.startsWith("pm", pos)) {
            hour = hour == 12 ? 12 : hour + 12;
            pos += 2;
        } else if (lower.startsWith("am", pos)) {
            hour = hour == 12 ? 0 : hour;
            pos += 2;
        } else {
            pos = mark;
        }
        if (hour > 23) {
            throw invalid(option);
        }
        time = LocalTime.of(hour, minute, second);
    }

    /* YYYY-MM-DD, or MMDD[YY] with optional '/' or '.' separators. */
    private void readDate() throws SlurmUsageException {
        if (charAt(pos + 4) == '-' && charAt(pos + 7) == '-') {
            int year = number(4, 4);
            pos++;
            int month = number(1, 2);
            pos++;
            int day = number(1, 2);
            date = LocalDate.of(year, month, day);
            yearGiven = true;
            return;
        }
        int month = number(1, 2);
        skipDateSeparator();
        int day = number(1, 2);
        skipDateSeparator();
        int year = now.getYear();
        yearGiven = isDigit(pos);
        if (yearGiven) {
            year = 2000 + number(2, 2);
        }
        date = LocalDate.of(year, month, day);
    }

    private void skipDateSeparator() {
        if (charAt(pos) == '/' || charAt(pos) == '.') {
            pos++;
        }
    }

    private int number(int minDigits, int maxDigits) throws SlurmUsageException {
        int start = pos;
        while (pos - start < maxDigits && isDigit(pos)) {
            pos++;
        }
        if (pos - start < minDigits) {
            throw invalid(option);
        }
        return Integer.parseInt(text.substring(start, pos));
    }

    private Instant resolve() throws SlurmUsageException {
        if (date == null && time == null) {
            throw invalid(option);
        }
        LocalTime at = time == null ? LocalTime.MIDNIGHT : time;
        LocalDate day = date;
        LocalTime clock = now.toLocalTime();
        if (day == null) {
            // A bare clock time means its next occurrence (its last, when past); Slurm compares hours and minutes.
            boolean later = at.getHour() > clock.getHour()
                    || (at.getHour() == clock.getHour() && at.getMinute() > clock.getMinute());
            if (past) {
                day = later ? now.toLocalDate().minusDays(1) : now.toLocalDate();
            } else {
                day = later ? now.toLocalDate() : now.toLocalDate().plusDays(1);
            }
        } else if (!yearGiven) {
            boolean passed = !LocalDateTime.of(day, at).withSecond(0)
                    .isAfter(now.toLocalDateTime().withSecond(0).withNano(0));
            // A month and day without a year: the next one, or for a past time the last one.
            if (!past && passed) {
                day = day.plusYears(1);
            } else if (past && !passed) {
                day = day.minusYears(1);
            }
        }
        return ZonedDateTime.of(day, at, now.getZone()).toInstant();
    }

    private boolean isDigit(int i) {
        char c = charAt(i);
        return c >= '0' && c <= '9';
    }

    private char charAt(int i) {
        return i < text.length() ? text.charAt(i) : 0;
    }

    private static SlurmUsageException invalid(String option) {
        return new SlurmUsageException("Invalid --" + option + " specification");
    }
}
