package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A job's --dependency, in Slurm's syntax: conditions joined by ',' (all must hold) or by '?' (any one), each
 * {@code type:job[:job...]} with types after, afterany, afterok, afternotok, aftercorr, or {@code singleton}. A
 * job is {@code N} (a job, or every task of array N) or {@code N_i} (one array task); {@code after} takes an
 * optional delay in minutes, {@code after:N+5}. {@code aftercorr:N} names whole arrays only: task i of the dependent
 * array waits for task i of N to complete.
 *
 * @param anyOne true when the conditions were joined by '?'
 */
public record Dependencies(List<Condition> conditions, boolean anyOne) {
    public static final int MAX_CONDITIONS = 1000;

    public enum Type { AFTER, AFTERANY, AFTEROK, AFTERNOTOK, AFTERCORR, SINGLETON }

    /**
     * @param jobId 0 for singleton
     * @param taskId the array task, or null for the job (or every task of the array)
     */
    public record Condition(Type type, long jobId, Integer taskId, int delayMinutes) {
        @Override
        public String toString() {
            if (type == Type.SINGLETON) {
                return "singleton";
            }
            return type.name().toLowerCase(Locale.ROOT) + ":" + jobId + (taskId == null ? "" : "_" + taskId)
                    + (delayMinutes == 0 ? "" : "+" + delayMinutes);
        }
    }

    public Dependencies {
        conditions = List.copyOf(conditions);
    }

    /** @throws IllegalArgumentException naming the part that is wrong */
    public static Dependencies parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.length() > 10_000) {
            throw new IllegalArgumentException("is longer than 10000 characters");
        }
        boolean and = text.contains(",");
        boolean or = text.contains("?");
        if (and && or) {
            throw new IllegalArgumentException("mixes ',' and '?'; join all conditions with one of them");
        }
        List<Condition> out = new ArrayList<>();
        for (String part : text.split(or ? "\\?" : ",", -1)) {
            parsePart(part, out);
            if (out.size() > MAX_CONDITIONS) {
                throw new IllegalArgumentException("has more than " + MAX_CONDITIONS + " conditions");
            }
        }
        return new Dependencies(out, or);
    }

    private static void parsePart(String part, List<Condition> out) {
        if (part.equals("singleton")) {
            out.add(new Condition(Type.SINGLETON, 0, null, 0));
            return;
        }
        String[] words = part.split(":", -1);
        Type type;
        try {
            type = Type.valueOf(words[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || type == Type.SINGLETON || !words[0].equals(words[0].toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("'" + part + "': the type must be after, afterany, afterok,"
                    + " afternotok, aftercorr or singleton");
        }
        if (words.length < 2) {
            throw new IllegalArgumentException("'" + part + "' names no job; write " + words[0] + ":JOBID");
        }
        for (int i = 1; i < words.length; i++) {
            out.add(target(type, words[i], part));
        }
    }

    private static Condition target(Type type, String word, String part) {
        String job = word;
        int delay = 0;
        int plus = word.indexOf('+');
        if (plus >= 0) {
            if (type != Type.AFTER) {
                throw new IllegalArgumentException("'" + part + "': only 'after' takes a +minutes delay");
            }
            delay = (int) digits(word.substring(plus + 1), part, 525_600);
            job = word.substring(0, plus);
        }
        int underscore = job.indexOf('_');
        Integer task = null;
        if (underscore >= 0) {
            if (type == Type.AFTERCORR) {
                // Its tasks pair with the named array's tasks by id: one task of it names nothing to pair with.
                throw new IllegalArgumentException("'" + part + "': aftercorr names a whole array, not one task ('"
                        + word + "'); write aftercorr:" + job.substring(0, underscore));
            }
            task = (int) digits(job.substring(underscore + 1), part, ArrayIndexes.MAX_INDEX);
            job = job.substring(0, underscore);
        }
        long id = digits(job, part, Long.MAX_VALUE / 2);
        if (id < 1) {
            throw new IllegalArgumentException("'" + part + "': job ids start at 1");
        }
        return new Condition(type, id, task, delay);
    }

    private static long digits(String text, String part, long max) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + part + "': '" + text + "' is not a number");
        }
        long n = Long.parseLong(text);
        if (n > max) {
            throw new IllegalArgumentException("'" + part + "': " + text + " is above " + max);
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Condition c : conditions) {
            if (b.length() > 0) {
                b.append(anyOne ? '?' : ',');
            }
            b.append(c);
        }
        return b.toString();
    }
}
