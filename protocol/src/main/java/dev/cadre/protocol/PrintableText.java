package dev.cadre.protocol;

import java.util.Optional;

/**
 * The one rule for free text that Cadre stores and later prints to other people (a job's name, a drain's reason, a
 * path scontrol shows): no character that acts on the terminal it is printed to, or that reorders the text shown
 * after it. Refused are the C0 controls (tab and line feed among them: every such field prints on one line), DEL,
 * the C1 controls (U+0080 to U+009F, which some terminals take as ESC sequences), the line and paragraph separators
 * U+2028 and U+2029, and the bidi embeddings, overrides and isolates of Trojan Source (U+202A to U+202E, U+2066 to
 * U+2069), with which "abc" could be shown as "cba" or a column of squeue pushed out of line. Everything else
 * Unicode prints (names in any script included) is taken. A job's script, arguments and environment are the job's
 * own program and data, not free text, and are passed on as sent. Pure.
 */
public final class PrintableText {
    private PrintableText() {
    }

    /**
     * Why the value cannot be stored as free text, as "contains U+202E (a bidi override) at character 5" (the first
     * such character, counted from 1 in code points), or empty when it can; empty for null.
     */
    public static Optional<String> problem(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int position = 1;
        for (int i = 0; i < value.length(); i += Character.charCount(value.codePointAt(i))) {
            int c = value.codePointAt(i);
            String kind = kind(c);
            if (kind != null) {
                return Optional.of(String.format("contains U+%04X (%s) at character %d", c, kind, position));
            }
            position++;
        }
        return Optional.empty();
    }

    public static boolean isPrintable(String value) {
        return problem(value).isEmpty();
    }

    /** The value with each refused character as '?': a refused value echoed back, shown without harm. */
    public static String masked(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (kind(c) == null) {
                out.appendCodePoint(c);
            } else {
                out.append('?');
            }
        });
        return out.toString();
    }

    /** What the character is when the rule refuses it, in a few words; null when it is taken. */
    private static String kind(int c) {
        if (c < 0x20 || c == 0x7f) {
            return switch (c) {
                case 0 -> "NUL, a control character";
                case '\t' -> "a tab, a control character";
                case '\n' -> "a line feed, a control character";
                case '\r' -> "a carriage return, a control character";
                case 0x1b -> "escape, a control character";
                default -> "a control character";
            };
        }
        if (c >= 0x80 && c <= 0x9f) {
            return "a C1 control character";
        }
        if (c == 0x2028 || c == 0x2029) {
            return c == 0x2028 ? "a line separator" : "a paragraph separator";
        }
        if (c == 0x202a || c == 0x202b) {
            return "a bidi embedding";
        }
        if (c == 0x202d || c == 0x202e) {
            return "a bidi override";
        }
        if (c >= 0x2066 && c <= 0x2068) {
            return "a bidi isolate";
        }
        return c == 0x202c || c == 0x2069 ? "a bidi pop" : null;
    }
}
