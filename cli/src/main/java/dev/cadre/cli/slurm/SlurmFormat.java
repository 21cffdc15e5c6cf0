package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;

/**
 * The -o format strings of squeue and sinfo as both read them: text up to the first '%', then fields
 * {@code %[.][modifier][width]letter[suffix]}, '.' meaning right-justified (the default is left).
 */
final class SlurmFormat {

    private SlurmFormat() {
    }

    /**
     * One field. {@code modifier} is the allowed modifier written, if any, {@code suffix} the text after the
     * letter, {@code token} the whole field after its '%'. A field without a letter has letter 0.
     */
    record Field(char letter, int width, boolean right, String modifier, String suffix, String token) {
        /** How both commands print a letter they do not know: the field as written. */
        String asWritten() {
            return "%" + token;
        }
    }

    record Parsed(String prefix, List<Field> fields) {
    }

    /** @param modifiers the characters of which one may stand between the '.' and the width, e.g. "-" */
    static Parsed parse(String format, String modifiers) {
        int first = format.indexOf('%');
        String prefix = first < 0 ? format : format.substring(0, first);
        List<Field> fields = new ArrayList<>();
        if (first < 0) {
            return new Parsed(prefix, fields);
        }
        // Like their strtok on '%', runs of '%' separate tokens and never print.
        for (String token : tokens(format.substring(first))) {
            int i = 0;
            boolean right = token.charAt(0) == '.';
            if (right) {
                i++;
            }
            String modifier = "";
            if (i < token.length() && modifiers.indexOf(token.charAt(i)) >= 0) {
                modifier = token.substring(i, ++i);
            }
            int width = 0;
            while (i < token.length() && Character.isDigit(token.charAt(i))) {
                width = width * 10 + (token.charAt(i++) - '0');
            }
            char letter = i < token.length() ? token.charAt(i++) : 0;
            fields.add(new Field(letter, width, right, modifier, token.substring(i), token));
        }
        return new Parsed(prefix, fields);
    }

    /** The text between runs of '%', as strtok gives it: empty pieces are skipped. */
    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '%') {
                if (i > start) {
                    out.add(text.substring(start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /*
     * Their _print_str(): left-justified text is always cut to the width (printf "%.Ns"), right-justified text
     * only when the field allows it; both are padded to the width.
     */
    static String pad(String text, int width, boolean right, boolean cut) {
        if (width <= 0) {
            return text;
        }
        if ((!right || cut) && length(text) > width) {
            text = first(text, width);
        }
        int length = length(text);
        if (length >= width) {
            return text;
        }
        String spaces = " ".repeat(width - length);
        return right ? spaces + text : text + spaces;
    }

    /**
     * A text's length in characters (code points). Slurm counts bytes, so a name in UTF-8 takes more room than it
     * shows and its cut can split a character; Cadre counts what is shown, and cuts between characters, never
     * inside one (an emoji is two Java chars).
     */
    static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The first {@code n} characters (code points) of {@code text}. */
    static String first(String text, int n) {
        return text.substring(0, text.offsetByCodePoints(0, Math.max(0, Math.min(n, length(text)))));
    }
}
