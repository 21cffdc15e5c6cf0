package dev.cadre.cli.slurm;

import java.util.List;
import java.util.Optional;

/**
 * {@code scontrol update JobId=... KEY=VALUE...}, for the keys Cadre can change on a pending job: TimeLimit,
 * Priority, Nice and JobName (or Name). Keys match as in scontrol: without regard to case, and abbreviated down
 * to a few letters ("TimeL=", "Pri=", "Ni="). The messages of {@link SlurmUsageException#lines()} are scontrol's
 * complete output lines, "scontrol: error: " included where scontrol logs them as errors.
 *
 * @param priority a fixed priority
 * @param name the new job name
 */
public record ScontrolUpdate(List<SlurmJobId> jobs, Long timeLimitSeconds, Long priority, Integer nice,
        String name) {
    private static final String ERROR = "scontrol: error: ";

    /** @param args the words after "update" */
    public static ScontrolUpdate parse(List<String> args) throws SlurmUsageException {
        String jobs = null;
        Long limit = null;
        Long priority = null;
        Integer nice = null;
        String name = null;
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            int eq = word.indexOf('=');
            String tag;
            String value;
            if (eq >= 0) {
                tag = word.substring(0, eq);
                value = word.substring(eq + 1);
            } else if (is(word, "Nice", 2)) {
                // A bare "Nice" means what sbatch's --nice without a value does.
                nice = SbatchScheduling.DEFAULT_NICE;
                continue;
            } else if (i + 1 < args.size()) {
                tag = word;
                value = args.get(++i);
            } else {
                throw new SlurmUsageException(List.of("Invalid input: " + word, "Request aborted"));
            }
            if (is(tag, "JobId", 3)) {
                jobs = value;
            } else if (is(tag, "TimeLimit", 5)) {
                limit = timeLimit(value);
            } else if (is(tag, "Priority", 2)) {
                priority = priority(value);
            } else if (is(tag, "Nice", 2)) {
                nice = nice(value);
            } else if (is(tag, "Name", 2) || is(tag, "JobName", 4)) {
                name = value;
            } else {
                throw new SlurmUsageException(List.of("Update of this parameter is not supported: " + word,
                        "Request aborted"));
            }
        }
        if (limit == null && priority == null && nice == null && name == null) {
            throw new SlurmUsageException("No changes specified");
        }
        if (jobs == null) {
            throw new SlurmUsageException(ERROR + "No job ID specified");
        }
        Optional<List<SlurmJobId>> ids = SlurmJobId.parseList(jobs);
        if (ids.isEmpty()) {
            throw new SlurmUsageException("Invalid job id specified for job " + jobs);
        }
        return new ScontrolUpdate(ids.get(), limit, priority, nice, name);
    }

    /** scontrol's strncasecmp(tag, keyword, MAX(len, min)): a prefix of the keyword, at least min long. */
    static boolean is(String tag, String keyword, int min) {
        return tag.length() >= min && tag.length() <= keyword.length()
                && keyword.regionMatches(true, 0, tag, 0, tag.length());
    }

    private static long timeLimit(String value) throws SlurmUsageException {
        if (value.startsWith("+") || value.startsWith("-") && !value.equals("-1")) {
            throw new SlurmUsageException(ERROR + "TimeLimit increments and decrements are not supported by this"
                    + " Cadre version; give the new limit");
        }
        Long seconds;
        try {
            seconds = SlurmTime.parseTimeLimit(value);
        } catch (SlurmUsageException e) {
            throw new SlurmUsageException(ERROR + "Invalid TimeLimit value");
        }
        if (seconds == null) {
            throw new SlurmUsageException(ERROR + "TimeLimit=" + value + " is not supported: a job's time limit can"
                    + " be changed here, not removed");
        }
        return seconds;
    }

    private static long priority(String value) throws SlurmUsageException {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(Character::isDigit)
                || Long.parseLong(value) > 0xffff_ffffL) {
            throw new SlurmUsageException(ERROR + "Invalid Priority value: " + value);
        }
        return Long.parseLong(value);
    }

    private static int nice(String value) throws SlurmUsageException {
        long n = SbatchScheduling.wholeNumber(value, ERROR + "Invalid Nice value: " + value);
        if (Math.abs(n) > SbatchScheduling.MAX_NICE) {
            throw new SlurmUsageException(ERROR + "Nice value out of range (+/- " + SbatchScheduling.MAX_NICE
                    + "). Value ignored");
        }
        return (int) n;
    }
}
