package dev.cadre.cli.slurm;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * strftime(3) as glibc does it in the C locale, for SLURM_TIME_FORMAT: every conversion glibc knows, its flags
 * ({@code -} no padding, {@code _} spaces, {@code 0} zeros, {@code ^} upper case, {@code #} swapped case), a field
 * width, and the {@code E} and {@code O} modifiers (which change nothing in the C locale). A conversion glibc does
 * not know is printed as written, as glibc prints it.
 */
final class Strftime {
    private static final String[] DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};

    private Strftime() {
    }

    static String format(String pattern, ZonedDateTime t) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 == pattern.length()) {
                out.append(c);
                i++;
                continue;
            }
            int start = i++;
            char pad = 0;
            boolean upper = false;
            boolean swap = false;
            while (i < pattern.length() && "-_0^#".indexOf(pattern.charAt(i)) >= 0) {
                char f = pattern.charAt(i++);
                if (f == '^') {
                    upper = true;
                } else if (f == '#') {
                    swap = true;
                } else {
                    pad = f;
                }
            }
            int width = -1;
            while (i < pattern.length() && Character.isDigit(pattern.charAt(i)) && width < 1000) {
                width = Math.max(width, 0) * 10 + pattern.charAt(i++) - '0';
            }
            if (i < pattern.length() && (pattern.charAt(i) == 'E' || pattern.charAt(i) == 'O')) {
                i++;
            }
            if (i == pattern.length()) {
                out.append(pattern, start, i);
                break;
            }
            char conversion = pattern.charAt(i++);
            Field f = field(conversion, t);
            if (f == null) {
                out.append(pattern, start, i);
                continue;
            }
            String text = f.text;
            if (upper) {
                text = text.toUpperCase(Locale.ROOT);
            } else if (swap && f.name) {
                // glibc's "swap": names of days and months go upper case, AM/PM and the zone's name lower.
                text = conversion == 'p' || conversion == 'Z' ? text.toLowerCase(Locale.ROOT)
                        : text.toUpperCase(Locale.ROOT);
            }
            out.append(padded(text, f, pad, width));
        }
        return out.toString();
    }

    /**
     * A conversion's text and how it pads: a number's digits ({@code digits} wide, with {@code fill}), or a name or
     * composite, which pads with spaces only when a width asks.
     */
    private record Field(String text, int digits, char fill, boolean name) {
        static Field number(long value, int digits, char fill) {
            return new Field(Long.toString(value), digits, fill, false);
        }

        static Field name(String text) {
            return new Field(text, 0, ' ', true);
        }

        static Field composite(String text) {
            return new Field(text, 0, ' ', false);
        }
    }

    private static String padded(String text, Field f, char pad, int width) {
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        int wanted = width >= 0 ? width : f.digits;
        if (pad == '-' || f.digits == 0 && width < 0) {
            return text;
        }
        char fill = pad == '_' ? ' ' : pad == '0' ? '0' : f.digits > 0 ? f.fill : ' ';
        int missing = wanted - text.length();
        if (missing <= 0) {
            return text;
        }
        String filler = String.valueOf(fill).repeat(missing);
        return fill == '0' && negative ? "-" + filler + digits : filler + text;
    }

    private static Field field(char conversion, ZonedDateTime t) {
        int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        String day = DAYS[t.getDayOfWeek().getValue() % 7];
        String month = MONTHS[t.getMonthValue() - 1];
        return switch (conversion) {
            case 'a' -> Field.name(day.substring(0, 3));
            case 'A' -> Field.name(day);
            case 'b', 'h' -> Field.name(month.substring(0, 3));
            case 'B' -> Field.name(month);
            case 'c' -> Field.composite(format("%a %b %e %H:%M:%S %Y", t));
            case 'C' -> Field.number(Math.floorDiv(t.getYear(), 100), 2, '0');
            case 'd' -> Field.number(t.getDayOfMonth(), 2, '0');
            case 'D', 'x' -> Field.composite(format("%m/%d/%y", t));
            case 'e' -> Field.number(t.getDayOfMonth(), 2, ' ');
            // glibc's %F is %+4Y-%m-%d: the year of at least four digits, without the sign %+ would add.
            case 'F' -> {
                Field year = Field.number(t.getYear(), 4, '0');
                yield Field.composite(padded(year.text(), year, (char) 0, -1) + format("-%m-%d", t));
            }
            case 'g' -> Field.number(Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100), 2, '0');
            case 'G' -> Field.number(t.get(IsoFields.WEEK_BASED_YEAR), 1, '0');
            case 'H' -> Field.number(t.getHour(), 2, '0');
            case 'I' -> Field.number(hour12, 2, '0');
            case 'j' -> Field.number(t.getDayOfYear(), 3, '0');
            case 'k' -> Field.number(t.getHour(), 2, ' ');
            case 'l' -> Field.number(hour12, 2, ' ');
            case 'm' -> Field.number(t.getMonthValue(), 2, '0');
            case 'M' -> Field.number(t.getMinute(), 2, '0');
            case 'n' -> Field.composite("\n");
            case 'p' -> Field.name(t.getHour() < 12 ? "AM" : "PM");
            case 'q' -> Field.number((t.getMonthValue() + 2) / 3, 1, '0');
            case 'P' -> Field.composite(t.getHour() < 12 ? "am" : "pm");
            case 'r' -> Field.composite(format("%I:%M:%S %p", t));
            case 'R' -> Field.composite(format("%H:%M", t));
            case 's' -> Field.number(t.toEpochSecond(), 1, '0');
            case 'S' -> Field.number(t.getSecond(), 2, '0');
            case 't' -> Field.composite("\t");
            case 'T', 'X' -> Field.composite(format("%H:%M:%S", t));
            case 'u' -> Field.number(t.getDayOfWeek().getValue(), 1, '0');
            case 'U' -> Field.number(weekOfYear(t, DayOfWeek.SUNDAY), 2, '0');
            case 'V' -> Field.number(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0');
            case 'w' -> Field.number(t.getDayOfWeek().getValue() % 7, 1, '0');
            case 'W' -> Field.number(weekOfYear(t, DayOfWeek.MONDAY), 2, '0');
            case 'y' -> Field.number(Math.floorMod(t.getYear(), 100), 2, '0');
            case 'Y' -> Field.number(t.getYear(), 1, '0');
            case 'z' -> Field.composite(offset(t.getOffset().getTotalSeconds()));
            case 'Z' -> Field.name(DateTimeFormatter.ofPattern("zzz", Locale.ROOT).format(t));
            case '%' -> Field.composite("%");
            default -> null;
        };
    }

    /** %U and %W: the week of the year, the first {@code first} day starting week 1, the days before it week 0. */
    private static long weekOfYear(ZonedDateTime t, DayOfWeek first) {
        int dayOfYear = t.get(ChronoField.DAY_OF_YEAR) - 1;
        int sinceFirst = Math.floorMod(t.getDayOfWeek().getValue() - first.getValue(), 7);
        return (dayOfYear + 7 - sinceFirst) / 7;
    }

    private static String offset(int seconds) {
        int minutes = Math.abs(seconds) / 60;
        return (seconds < 0 ? "-" : "+") + two(minutes / 60) + two(minutes % 60);
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
