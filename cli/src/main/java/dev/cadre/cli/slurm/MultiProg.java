package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * srun --multi-prog's configuration file: each line names task ranks ({@code 0}, {@code 1-3}, {@code 0,2-4}, or
 * {@code *} for every task no earlier line named), a program and its arguments, in which {@code %t} is the task's
 * id and {@code %o} its offset among the line's tasks. Single quotes keep what they enclose as it is, %t included;
 * double quotes only group words. A line whose first character other than blanks is '#' is a comment; blank
 * lines are skipped. Every task of the step must have exactly one line, as Slurm's srun requires.
 */
public final class MultiProg {
    private MultiProg() {
    }

    /**
     * @param text the file's contents
     * @param name the file's name, for errors
     * @param tasks the step's task count
     * @return each task's command (program and arguments), by task id
     * @throws SlurmUsageException naming the line or task that is wrong
     */
    public static List<List<String>> commands(String text, String name, int tasks) throws SlurmUsageException {
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            commands.add(null);
        }
        BitSet named = new BitSet(tasks);
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "Line " + (n + 1) + " of configuration file " + name;
            int blank = firstBlank(line);
            if (blank < 0) {
                throw new SlurmUsageException("srun: error: " + where + " invalid: no program for tasks " + line);
            }
            String ranks = line.substring(0, blank);
            List<Integer> ids = ranks.equals("*") ? unnamed(named, tasks) : ranks(ranks, where, tasks);
            List<List<Piece>> words = words(line.substring(blank), where);
            if (words.isEmpty()) {
                throw new SlurmUsageException("srun: error: " + where + " invalid: no program for tasks " + ranks);
            }
            for (int offset = 0; offset < ids.size(); offset++) {
                int id = ids.get(offset);
                if (named.get(id)) {
                    throw new SlurmUsageException("srun: error: " + where + " invalid: duplicate record for task "
                            + id);
                }
                named.set(id);
                commands.set(id, substituted(words, id, offset));
            }
        }
        int missing = named.nextClearBit(0);
        if (missing < tasks) {
            throw new SlurmUsageException("srun: error: Configuration file " + name + " invalid, no record for task id "
                    + missing);
        }
        return commands;
    }

    private static int firstBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (Character.isWhitespace(line.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<Integer> unnamed(BitSet named, int tasks) {
        List<Integer> ids = new ArrayList<>();
        for (int id = named.nextClearBit(0); id < tasks; id = named.nextClearBit(id + 1)) {
            ids.add(id);
        }
        return ids;
    }

    /** The ids a line names, in the order its ranges give them (which %o counts in). */
    private static List<Integer> ranks(String spec, String where, int tasks) throws SlurmUsageException {
        List<Integer> ids = new ArrayList<>();
        for (String range : spec.split(",", -1)) {
            String[] ends = range.split("-", -1);
            if (ends.length > 2 || ends[0].isEmpty() || ends[ends.length - 1].isEmpty()
                    || !(ends[0] + ends[ends.length - 1]).chars().allMatch(Character::isDigit)) {
                throw new SlurmUsageException("srun: error: " + where + " invalid: task range " + spec
                        + " (ranks are numbers and ranges such as 0,2-4, or *)");
            }
            int low = id(ends[0], spec, where);
            int high = id(ends[ends.length - 1], spec, where);
            if (low > high) {
                throw new SlurmUsageException("srun: error: " + where + " invalid: task range " + range
                        + " (the smaller number comes first)");
            }
            if (high >= tasks) {
                throw new SlurmUsageException("srun: error: " + where + " invalid: task id " + high + " >= ntasks ("
                        + tasks + ")");
            }
            for (int id = low; id <= high; id++) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static int id(String digits, String spec, String where) throws SlurmUsageException {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new SlurmUsageException("srun: error: " + where + " invalid: task range " + spec);
        }
    }

    /** A word and whether it may be substituted, piece by piece: single-quoted pieces are kept as they are. */
    private record Piece(String text, boolean literal) {
    }

    private static List<List<Piece>> words(String rest, String where) throws SlurmUsageException {
        List<List<Piece>> words = new ArrayList<>();
        List<Piece> word = null;
        StringBuilder piece = new StringBuilder();
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    word.add(new Piece(piece.toString(), false));
                    words.add(word);
                    word = null;
                    piece.setLength(0);
                }
                i++;
                continue;
            }
            if (word == null) {
                word = new ArrayList<>();
            }
            if (c == '\'' || c == '"') {
                int close = rest.indexOf(c, i + 1);
                if (close < 0) {
                    throw new SlurmUsageException("srun: error: " + where + " invalid: unmatched " + c);
                }
                word.add(new Piece(piece.toString(), false));
                piece.setLength(0);
                word.add(new Piece(rest.substring(i + 1, close), c == '\''));
                i = close + 1;
                continue;
            }
            piece.append(c);
            i++;
        }
        if (word != null) {
            word.add(new Piece(piece.toString(), false));
            words.add(word);
        }
        return words;
    }

    /** The words with %t and %o replaced outside single quotes, in the arguments (the program is kept). */
    private static List<String> substituted(List<List<Piece>> words, int id, int offset) {
        List<String> command = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            StringBuilder b = new StringBuilder();
            for (Piece p : words.get(i)) {
                b.append(p.literal() || i == 0 ? p.text()
                        : p.text().replace("%t", Integer.toString(id)).replace("%o", Integer.toString(offset)));
            }
            command.add(b.toString());
        }
        return command;
    }
}
