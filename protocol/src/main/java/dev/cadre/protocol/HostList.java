package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Slurm's hostlist expressions: {@code node[1-3,5],gpu07} stands for node1, node2, node3, node5 and gpu07.
 * Both directions keep the order of the hosts, as {@code scontrol show hostlist} and
 * {@code scontrol show hostnames} do, so that compressing and expanding an allocation gives it back as it was.
 * Zero padding is kept: {@code n[01-03]} is n01, n02, n03, and {@code n[9-10]} is n9, n10.
 */
public final class HostList {
    /** More hosts than any Cadre cluster has; an expression asking for more is refused, not expanded. */
    public static final int DEFAULT_LIMIT = 65_536;
    private static final Pattern NAME_CHARS = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int MAX_DIGITS = 18;

    private HostList() {
    }

    public static List<String> expand(String expression) {
        return expand(expression, DEFAULT_LIMIT);
    }

    /**
     * Host names in the expression's order, repeats kept. Items are separated by commas or white space.
     *
     * @throws IllegalArgumentException naming the problem: bad syntax, a name character other than letters,
     *         digits, '.', '-' or '_', or more than {@code limit} hosts (counted before anything is expanded)
     */
    public static List<String> expand(String expression, int limit) {
        if (expression == null) {
            throw new IllegalArgumentException("host list is missing");
        }
        List<List<List<Choice>>> items = new ArrayList<>();
        long total = 0;
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= expression.length(); i++) {
            char c = i < expression.length() ? expression.charAt(i) : ',';
            if (c == '[' && ++depth > 1) {
                throw new IllegalArgumentException("'" + shown(expression) + "' nests '[' inside '['");
            } else if (c == ']' && --depth < 0) {
                throw new IllegalArgumentException("'" + shown(expression) + "' has a ']' without its '['");
            } else if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
                if (i > start) {
                    List<List<Choice>> parts = parts(expression.substring(start, i));
                    total += count(parts, limit - total, limit);
                    items.add(parts);
                } else if (c == ',') {
                    throw new IllegalArgumentException("'" + shown(expression) + "' has an empty name before the"
                            + " comma at position " + (i + 1));
                }
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("'" + shown(expression) + "' has a '[' without its ']'");
        }
        List<String> hosts = new ArrayList<>((int) total);
        items.forEach(parts -> hosts.addAll(product(parts)));
        return hosts;
    }

    /** Literal text, or the numbers from..to printed at least width digits wide. */
    private record Choice(String literal, long from, long to, int width) {
        long size() {
            return literal != null ? 1 : to - from + 1;
        }

        void addTo(List<String> out, String prefix) {
            if (literal != null) {
                out.add(prefix + literal);
                return;
            }
            for (long n = from; n <= to; n++) {
                out.add(padded(prefix, n, width));
            }
        }
    }

    /** One item split into literal text and bracket groups; each part is the list of its alternatives. */
    private static List<List<Choice>> parts(String item) {
        List<List<Choice>> parts = new ArrayList<>();
        int i = 0;
        while (i < item.length()) {
            int open = item.indexOf('[', i);
            int end = open < 0 ? item.length() : open;
            if (end > i) {
                String text = item.substring(i, end);
                if (!NAME_CHARS.matcher(text).matches()) {
                    throw new IllegalArgumentException("'" + shown(item) + "' is not a host name: names are letters,"
                            + " digits, '.', '-' and '_', with numeric ranges in brackets like node[1-3,5]");
                }
                parts.add(List.of(new Choice(text, 0, 0, 0)));
            }
            if (open < 0) {
                break;
            }
            int close = item.indexOf(']', open);
            parts.add(ranges(item, item.substring(open + 1, close)));
            i = close + 1;
        }
        return parts;
    }

    /** The numbers of one bracket, e.g. "01-03,7"; a range is as wide as its first number is written. */
    private static List<Choice> ranges(String item, String inside) {
        List<Choice> out = new ArrayList<>();
        for (String range : inside.split(",", -1)) {
            int dash = range.indexOf('-');
            String lo = dash < 0 ? range : range.substring(0, dash);
            long from = number(item, lo);
            long to = dash < 0 ? from : number(item, range.substring(dash + 1));
            if (to < from) {
                throw new IllegalArgumentException("'" + shown(item) + "' has the range " + range
                        + ", which runs backwards");
            }
            out.add(new Choice(null, from, to, lo.length()));
        }
        return out;
    }

    private static long number(String item, String digits) {
        if (digits.isEmpty() || digits.length() > MAX_DIGITS || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + shown(item) + "' has '" + shown(digits) + "' in brackets where"
                    + " a number or a range like 1-3 belongs");
        }
        return Long.parseLong(digits);
    }

    /** How many names the parts make; refuses as soon as the count passes what is left of the limit. */
    private static long count(List<List<Choice>> parts, long room, int limit) {
        long n = 1;
        for (List<Choice> part : parts) {
            long choices = 0;
            for (Choice c : part) {
                choices += c.size();
                if (choices > room) {
                    throw tooMany(limit);
                }
            }
            n *= choices;
            if (n > room) {
                throw tooMany(limit);
            }
        }
        return n;
    }

    private static IllegalArgumentException tooMany(int limit) {
        return new IllegalArgumentException("names more than " + limit + " hosts");
    }

    private static List<String> product(List<List<Choice>> parts) {
        List<String> names = List.of("");
        for (List<Choice> part : parts) {
            List<String> next = new ArrayList<>();
            for (String prefix : names) {
                part.forEach(c -> c.addTo(next, prefix));
            }
            names = next;
        }
        return names;
    }

    /**
     * The shortest expression Slurm would print for these hosts in this order: neighbouring names with the same
     * prefix and consecutive numbers share brackets. A name that is not a plain host name is kept as it is.
     */
    public static String compress(List<String> hosts) {
        List<Run> runs = new ArrayList<>();
        for (String host : hosts) {
            Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            Run run = Run.of(host);
            if (last != null && run != null && last.continuedBy(run)) {
                last.hi = run.lo;
            } else {
                runs.add(run != null ? run : Run.verbatim(host));
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < runs.size()) {
            int j = i + 1;
            while (j < runs.size() && runs.get(i).sharesBracketWith(runs.get(j))) {
                j++;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            Run first = runs.get(i);
            if (j == i + 1 && first.lo == first.hi) {
                out.append(first.prefix).append(first.digits(first.lo));
            } else {
                out.append(first.prefix).append('[');
                for (int k = i; k < j; k++) {
                    out.append(k > i ? "," : "").append(runs.get(k).range());
                }
                out.append(']');
            }
            i = j;
        }
        return out.toString();
    }

    /** Consecutive numbered hosts with one prefix and zero padding; a verbatim run has no number. */
    private static final class Run {
        final String prefix;
        final int width;
        final long lo;
        long hi;

        private Run(String prefix, int width, long lo) {
            this.prefix = prefix;
            this.width = width;
            this.lo = lo;
            this.hi = lo;
        }

        static Run verbatim(String host) {
            return new Run(host, -1, 0);
        }

        static Run of(String host) {
            if (host == null || !NAME_CHARS.matcher(host).matches()) {
                return null;
            }
            int end = host.length();
            int start = end;
            while (start > 0 && Character.isDigit(host.charAt(start - 1))) {
                start--;
            }
            if (start == end || end - start > MAX_DIGITS) {
                return verbatim(host);
            }
            return new Run(host.substring(0, start), end - start, Long.parseLong(host.substring(start)));
        }

        boolean numbered() {
            return width >= 0;
        }

        String digits(long n) {
            return numbered() ? padded("", n, width) : "";
        }

        /** The next host continues this run when printing its number at this run's width gives its own digits. */
        boolean continuedBy(Run next) {
            return numbered() && next.numbered() && prefix.equals(next.prefix) && next.lo == hi + 1
                    && digits(next.lo).equals(next.digits(next.lo));
        }

        boolean sharesBracketWith(Run other) {
            return numbered() && other.numbered() && prefix.equals(other.prefix);
        }

        String range() {
            return lo == hi ? digits(lo) : digits(lo) + "-" + digits(hi);
        }
    }

    /** The prefix and n with leading zeros to width digits; String.format took most of an expansion's time. */
    private static String padded(String prefix, long n, int width) {
        String digits = Long.toString(n);
        StringBuilder b = new StringBuilder(prefix.length() + Math.max(width, digits.length())).append(prefix);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits).toString();
    }

    private static String shown(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
