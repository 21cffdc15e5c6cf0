package dev.cadre.cli.slurm;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a batch script the way sbatch does before submitting it. */
public final class BatchScript {

    private static final String MAGIC = "#SBATCH";

    private BatchScript() {
    }

    /**
     * The option words of the script's {@code #SBATCH} lines, in order, exactly as sbatch collects
     * them: only lines that start with "#SBATCH" in column 0 count, and reading stops at the first
     * line that is neither blank nor a comment. Quotes group words and are removed, a backslash
     * escapes the next character (but, as in Slurm, cannot join words across a blank), and an
     * unquoted '#' ends the line. An unmatched quote, which sbatch rejects, keeps the rest of the
     * line as one word here.
     */
    public static List<String> directives(String scriptText) {
        try {
            return collect(scriptText, null);
        } catch (SlurmUsageException e) {
            throw new IllegalStateException("lenient reading cannot fail", e);
        }
    }

    /**
     * A script file's text. sbatch takes any bytes, but the script travels to its node as JSON text and is written
     * there as UTF-8; a file that is not UTF-8 is read as ISO-8859-1 (Latin-1), where each byte is one character,
     * so that it runs rather than being refused: every character is kept, each non-ASCII one reaching the job as
     * UTF-8.
     */
    public static String text(byte[] bytes) {
        return new String(bytes, isUtf8(bytes) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    public static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** True when the first line names an interpreter, which sbatch requires. */
    public static boolean hasInterpreterLine(String scriptText) {
        return scriptText != null && scriptText.startsWith("#!");
    }

    /** Like {@link #directives(String)} but rejects an unmatched quote with Slurm's wording. */
    static List<String> directives(String scriptText, String fileName) throws SlurmUsageException {
        return collect(scriptText, fileName == null ? "" : fileName);
    }

    /* fileName == null selects the lenient reading. */
    private static List<String> collect(String scriptText, String fileName) throws SlurmUsageException {
        List<String> words = new ArrayList<>();
        if (scriptText == null) {
            return words;
        }
        String[] lines = scriptText.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (!line.startsWith(MAGIC)) {
                if (isCommand(line)) {
                    break;
                }
                continue;
            }
            int at = MAGIC.length();
            while (true) {
                Word word = nextWord(line, at);
                if (word.unmatchedQuote != 0 && fileName != null) {
                    throw new SlurmUsageException(String.format("%s: line %d: Unmatched `%c` in [%s]",
                            fileName, n + 1, word.unmatchedQuote, line));
                }
                if (word.text == null) {
                    break;
                }
                words.add(word.text);
                at = word.end;
            }
        }
        return words;
    }

    private static boolean isCommand(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (isSpace(c)) {
                continue;
            }
            return c != '#';
        }
        return false;
    }

    private record Word(String text, int end, char unmatchedQuote) {
    }

    /*
     * Slurm's get_argument(): the text is null when the line has no more words, which includes a
     * word that would be empty (a bare comment, or ""), so such a word also ends the line.
     */
    private static Word nextWord(String line, int from) {
        int i = from;
        while (i < line.length() && isSpace(line.charAt(i))) {
            i++;
        }
        StringBuilder text = null;
        boolean escaped = false;
        char quote = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (quote == 0 && isSpace(c)) {
                break;
            }
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
                i++;
                continue;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                    i++;
                    continue;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                i++;
                continue;
            } else if (c == '#') {
                break;
            }
            if (text == null) {
                text = new StringBuilder();
            }
            text.append(c);
            i++;
        }
        return new Word(text == null ? null : text.toString(), i, quote);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /* The checks sbatch makes on a script file before looking at its options, with its wording. */
    static void check(String script) throws SlurmUsageException {
        if (script.isEmpty()) {
            throw new SlurmUsageException("Batch script is empty!");
        }
        if (script.isBlank()) {
            throw new SlurmUsageException("Batch script contains only whitespace!");
        }
        if (!hasInterpreterLine(script)) {
            throw new SlurmUsageException(List.of("This does not look like a batch script.  The first",
                    "line must start with #! followed by the path to an interpreter.",
                    "For instance: #!/bin/sh"));
        }
        if (script.indexOf('\0') >= 0) {
            throw new SlurmUsageException(List.of("The Slurm controller does not allow scripts that",
                    "contain a NULL character '\\0'."));
        }
        if (script.contains("\r\n")) {
            throw new SlurmUsageException(List.of("Batch script contains DOS line breaks (\\r\\n)",
                    "instead of expected UNIX line breaks (\\n)."));
        }
    }
}
