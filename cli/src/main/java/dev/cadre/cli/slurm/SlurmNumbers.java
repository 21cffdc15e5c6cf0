package dev.cadre.cli.slurm;

import java.util.Locale;

/** The number syntaxes of Slurm's option values, with Slurm's error texts. */
final class SlurmNumbers {

    private SlurmNumbers() {
    }

    /** C's atoi(): an optional sign and digits, anything after ignored; 0 when there are none. */
    static int leadingInt(String s) {
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i++) == '-';
        }
        int n = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && n < 100_000) {
            n = n * 10 + (s.charAt(i++) - '0');
        }
        return negative ? -n : n;
    }

    /** Slurm's parse_int(): a whole decimal number, at least 1 when {@code positive}. */
    static int parseInt(String optionName, String value, boolean positive) throws SlurmUsageException {
        Prefix p = Prefix.of(value);
        if (!p.hasDigits() || !p.rest().isEmpty() || p.number() < 0 || (positive && p.number() <= 0)) {
            throw new SlurmUsageException("Invalid numeric value \"" + value + "\" for " + optionName + ".");
        }
        if (p.number() > Integer.MAX_VALUE) {
            throw new SlurmUsageException("Numeric argument (" + p.number() + ") to big for " + optionName + ".");
        }
        return (int) p.number();
    }

    /**
     * Slurm's str_to_mbytes(): a count of megabytes, or of kilo/mega/giga/terabytes with a K, M, G or
     * T suffix (optionally followed by B). Kilobytes round up.
     *
     * @return megabytes, or -1 when the text is not a memory size
     */
    static long megabytes(String value) {
        Prefix p = Prefix.of(value);
        if (!p.hasDigits() || p.number() < 0) {
            return -1;
        }
        String unit = p.rest();
        if (unit.isEmpty()) {
            return p.number();
        }
        if (!(unit.length() == 1 || (unit.length() == 2 && (unit.charAt(1) == 'B' || unit.charAt(1) == 'b')))) {
            return -1;
        }
        try {
            return switch (Character.toUpperCase(unit.charAt(0))) {
                case 'K' -> (p.number() + 1023) / 1024;
                case 'M' -> p.number();
                case 'G' -> Math.multiplyExact(p.number(), 1024L);
                case 'T' -> Math.multiplyExact(p.number(), 1024L * 1024L);
                default -> -1;
            };
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /**
     * A count of megabytes as sacct prints it (convert_num_unit with its exact flag): divided by 1024 into the next
     * unit while it is at least 1024 and a multiple of 512, two decimals when that leaves a fraction, so 1024 is
     * "1G", 1536 "1.50G" and 4000 "4000M"; 0 is "0", with no unit, as convert_num_unit prints it.
     */
    static String memory(long megabytes) {
        if (megabytes == 0) {
            return "0";
        }
        final String units = "MGTPE";
        double value = megabytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length() - 1 && ((long) value) % 512 == 0) {
            value /= 1024;
            unit++;
        }
        String number = value == (long) value ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
        return number + units.charAt(unit);
    }

    /**
     * Slurm's verify_node_count(): "count" or "min-max", each with an optional k or m multiplier.
     * Cadre allocates the minimum, so only that is returned.
     */
    static int minimumNodes(String value) throws SlurmUsageException {
        int dash = value.indexOf('-');
        long min;
        if (dash >= 0) {
            String minText = value.substring(0, dash);
            String maxText = value.substring(dash + 1);
            min = nodes(minText);
            // Slurm reads an empty minimum ("-4") as 1.
            if (min < 0) {
                min = 1;
            }
            long max = nodes(maxText);
            if (max < 0) {
                throw notNodeCount(maxText);
            }
            if (max != 0 && max < min) {
                throw new SlurmUsageException(
                        "Maximum node count " + max + " is less than minimum node count " + min);
            }
        } else {
            min = nodes(value);
            if (min < 0) {
                throw notNodeCount(value);
            }
        }
        // Slurm lets 0 through for special cases; a Cadre job always runs on at least one node.
        if (min == 0 || min > Integer.MAX_VALUE) {
            throw notNodeCount(dash >= 0 ? value.substring(0, dash) : value);
        }
        return (int) min;
    }

    /* -1 when there are no digits; the text must otherwise be fully used (trailing blanks aside). */
    private static long nodes(String text) throws SlurmUsageException {
        Prefix p = Prefix.of(text);
        if (!p.hasDigits()) {
            if (!p.rest().isBlank()) {
                throw notNodeCount(text);
            }
            return -1;
        }
        long n = p.number();
        String rest = p.rest();
        try {
            if (!rest.isEmpty() && Character.toLowerCase(rest.charAt(0)) == 'k') {
                n = Math.multiplyExact(n, 1024L);
                rest = rest.substring(1);
            }
            if (!rest.isEmpty() && Character.toLowerCase(rest.charAt(0)) == 'm') {
                n = Math.multiplyExact(n, 1024L * 1024L);
                rest = rest.substring(1);
            }
        } catch (ArithmeticException e) {
            throw notNodeCount(text);
        }
        if (!rest.isBlank()) {
            throw notNodeCount(text);
        }
        return n;
    }

    private static SlurmUsageException notNodeCount(String text) {
        return new SlurmUsageException("\"" + text + "\" is not a valid node count");
    }

    /** What C's strtol() reads from the front of a text: blanks, a sign, then digits. */
    private record Prefix(boolean hasDigits, long number, String rest) {

        static Prefix of(String text) {
            int i = 0;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            boolean negative = false;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                negative = text.charAt(i) == '-';
                i++;
            }
            int start = i;
            long n = 0;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                int digit = text.charAt(i) - '0';
                // strtol saturates instead of overflowing.
                n = n > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : n * 10 + digit;
                i++;
            }
            if (i == start) {
                return new Prefix(false, 0, text);
            }
            return new Prefix(true, negative ? -n : n, text.substring(i));
        }
    }
}
