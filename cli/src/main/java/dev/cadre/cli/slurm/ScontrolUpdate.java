package dev.cadre.cli.slurm;

import dev.cadre.protocol.Dependencies;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code scontrol update JobId=... KEY=VALUE...}, for the keys Cadre can change on a pending job: TimeLimit,
 * Priority, Nice, JobName (or Name), StartTime, Dependency and Deadline; of a running job, TimeLimit (a Deadline it
 * leaves as it is, as slurmctld does); of a pending or running one, MailType, MailUser and ReservationName (from
 * three letters, "Res=", as scontrol's update_job.c; empty, it takes the job out of its reservation); of an array,
 * pending or running, ArrayTaskThrottle. As in scontrol, {@code TimeLimit+=30},
 * {@code TimeLimit-=30} or {@code TimeLimit=+30} changes the current limit by that much, which the caller reads. Keys match as in scontrol: without regard to case, and abbreviated down
 * to a few letters ("TimeL=", "Pri=", "Ni="). The messages of {@link SlurmUsageException#lines()} are scontrol's
 * complete output lines, "scontrol: error: " included where scontrol logs them as errors.
 *
 * @param timeLimitSeconds the new limit, or null when it is not changed or changed by {@code timeLimitChange}
 * @param timeLimitChange seconds to add to the current limit (negative to take off), or null
 * @param priority a fixed priority
 * @param name the new job name
 * @param arrayTaskThrottle the array's new throttle, 0 for none
 * @param beginTime the new begin time, read as sbatch --begin reads it ({@link SlurmTime#parseBegin})
 * @param dependency the new dependency in --dependency syntax, "" to remove it
 * @param deadline the new deadline, read as sbatch --deadline reads it; Slurm has no way to remove one
 * @param mailType the new mail types, read as sbatch --mail-type reads them ({@link SlurmMail#parse}), ALL spelled out
 * @param mailUser who the mails go to, as given; "" gives them back to the job's user, as slurmctld does
 * @param reservation the reservation the job is to be in, as given (the head judges it); "" for none
 */
public record ScontrolUpdate(List<SlurmJobId> jobs, Long timeLimitSeconds, Long timeLimitChange, Long priority,
        Integer nice, String name, Integer arrayTaskThrottle, Instant beginTime, String dependency, Instant deadline,
        List<String> mailType, String mailUser, String reservation) {
    private static final String ERROR = "scontrol: error: ";

    /** Whether the time limit changes, to a value or by an amount. */
    public boolean changesTimeLimit() {
        return timeLimitSeconds != null || timeLimitChange != null;
    }

    /**
     * The limit the job is to have, from the one it has.
     *
     * @param current the job's limit in seconds, null when it has none
     */
    public long newTimeLimit(Long current) throws SlurmUsageException {
        if (timeLimitChange == null) {
            return timeLimitSeconds;
        }
        if (current == null) {
            throw new SlurmUsageException(ERROR + "the job has no time limit to change by " + minutes(Math.abs(
                    timeLimitChange)) + " minutes; give the new limit");
        }
        if (-timeLimitChange > current) {
            throw new SlurmUsageException(ERROR + "TimeLimit decrement larger than current time limit ("
                    + minutes(-timeLimitChange) + " > " + minutes(current) + ")");
        }
        return current + timeLimitChange;
    }

    private static long minutes(long seconds) {
        return (seconds + 59) / 60;
    }

    /** @param args the words after "update" */
    public static ScontrolUpdate parse(List<String> args) throws SlurmUsageException {
        return parse(args, Clock.systemDefaultZone());
    }

    /**
     * @param args the words after "update"
     * @param clock the time and zone StartTime=now+1hour, StartTime=16:00 and Deadline= are read in
     */
    public static ScontrolUpdate parse(List<String> args, Clock clock) throws SlurmUsageException {
        String jobs = null;
        Integer throttle = null;
        Instant begin = null;
        String dependency = null;
        Instant deadline = null;
        Long limit = null;
        Long limitChange = null;
        Long priority = null;
        Integer nice = null;
        String name = null;
        List<String> mailType = null;
        String mailUser = null;
        String reservation = null;
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            int eq = word.indexOf('=');
            String tag;
            String value;
            boolean signed = false;
            if (eq >= 0) {
                tag = word.substring(0, eq);
                value = word.substring(eq + 1);
                // scontrol's KEY+=VALUE and KEY-=VALUE: the sign goes with the value.
                if (tag.endsWith("+") || tag.endsWith("-")) {
                    signed = true;
                    value = tag.charAt(tag.length() - 1) + (value.startsWith("+") || value.startsWith("-")
                            ? "=" : "") + value;
                    tag = tag.substring(0, tag.length() - 1);
                }
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
            } else if (is(tag, "TimeLimit", 5) && (value.startsWith("+") || value.startsWith("-"))) {
                limitChange = (value.startsWith("-") ? -1 : 1) * timeLimit(value.substring(1));
                limit = null;
            } else if (is(tag, "TimeLimit", 5)) {
                limit = timeLimit(value);
                limitChange = null;
            } else if (is(tag, "Priority", 2)) {
                priority = priority(value);
            } else if (is(tag, "Nice", 2)) {
                nice = nice(value);
            } else if (is(tag, "Name", 2) || is(tag, "JobName", 4)) {
                name = value;
            } else if (is(tag, "ArrayTaskThrottle", 10)) {
                throttle = throttle(value);
            } else if (is(tag, "StartTime", 2)) {
                begin = startTime(value, clock);
            } else if (is(tag, "Dependency", 1)) {
                dependency = dependency(value);
            } else if (is(tag, "Deadline", 3)) {
                deadline = deadline(value, clock);
            } else if ((is(tag, "MailType", 5) || is(tag, "MailUser", 5)) && signed) {
                throw new SlurmUsageException(ERROR + "Option " + tag + " does not accept [+|-]= syntax");
            } else if (is(tag, "MailType", 5)) {
                mailType = mailType(value);
            } else if (is(tag, "MailUser", 5)) {
                mailUser = value;
            } else if (is(tag, "ReservationName", 3) && signed) {
                throw new SlurmUsageException(ERROR + "Option " + tag + " does not accept [+|-]= syntax");
            } else if (is(tag, "ReservationName", 3)) {
                reservation = value;
            } else {
                throw new SlurmUsageException(List.of("Update of this parameter is not supported: " + word,
                        "Request aborted"));
            }
        }
        if (limit == null && limitChange == null && priority == null && nice == null && name == null
                && throttle == null && begin == null && dependency == null && deadline == null && mailType == null
                && mailUser == null
                && reservation == null) {
            throw new SlurmUsageException("No changes specified");
        }
        if (jobs == null) {
            throw new SlurmUsageException(ERROR + "No job ID specified");
        }
        Optional<List<SlurmJobId>> ids = SlurmJobId.parseList(jobs);
        if (ids.isEmpty()) {
            throw new SlurmUsageException("Invalid job id specified for job " + jobs);
        }
        return new ScontrolUpdate(ids.get(), limit, limitChange, priority, nice, name, throttle, begin, dependency,
                deadline, mailType, mailUser, reservation);
    }

    /** scontrol's strncasecmp(tag, keyword, MAX(len, min)): a prefix of the keyword, at least min long. */
    static boolean is(String tag, String keyword, int min) {
        return tag.length() >= min && tag.length() <= keyword.length()
                && keyword.regionMatches(true, 0, tag, 0, tag.length());
    }

    private static long timeLimit(String value) throws SlurmUsageException {
        if (value.startsWith("=")) {
            throw new SlurmUsageException(ERROR + "Invalid syntax, variations of +=- are not accepted.");
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

    /** A priority of the job's own, or -1: computed from nice and age again (the REST API's -1, operations.md). */
    private static long priority(String value) throws SlurmUsageException {
        if (value.equals("-1")) {
            return -1;
        }
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(Character::isDigit)
                || Long.parseLong(value) > 0xffff_ffffL) {
            throw new SlurmUsageException(ERROR + "Invalid Priority value: " + value);
        }
        return Long.parseLong(value);
    }

    /** A whole number of tasks, 0 for no limit; a task list's own throttle (%N) goes up to seven digits. */
    private static int throttle(String value) throws SlurmUsageException {
        if (value.isEmpty() || value.length() > 7 || !value.chars().allMatch(Character::isDigit)) {
            throw new SlurmUsageException(ERROR + "Invalid ArrayTaskThrottle value: " + value + " (give the most"
                    + " tasks that may run at once, or 0 for no limit)");
        }
        return Integer.parseInt(value);
    }

    /** Any time sbatch --begin takes: now, now+1hour, 16:00, tomorrow, 2026-12-01T08:00 ... */
    private static Instant startTime(String value, Clock clock) throws SlurmUsageException {
        try {
            return SlurmTime.parseBegin(value, clock.instant(), clock.getZone());
        } catch (SlurmUsageException e) {
            throw new SlurmUsageException(ERROR + "Invalid StartTime value: " + value + " (a time as sbatch --begin"
                    + " takes it: now+1hour, 16:00, tomorrow, 2026-12-01T08:00)");
        }
    }

    /**
     * Any time sbatch --deadline takes, failing as scontrol's parse_time fails ("Invalid time specification
     * (pos=N): TEXT"). Slurm cannot remove a deadline: an empty value, "None" or "Unlimited" is no time to it, so
     * none is here either.
     */
    private static Instant deadline(String value, Clock clock) throws SlurmUsageException {
        return new BeginTime(value, clock.instant(), clock.getZone(), false, "deadline").parseOrExplain();
    }

    /** scontrol's parse_mail_type, as sbatch --mail-type's; no name it knows is "Invalid MailType: VALUE". */
    private static List<String> mailType(String value) throws SlurmUsageException {
        try {
            return SlurmMail.parse(value);
        } catch (SlurmUsageException e) {
            throw new SlurmUsageException("Invalid MailType: " + value);
        }
    }

    /** --dependency's syntax, checked here as sbatch checks it; "" removes the job's dependency. */
    private static String dependency(String value) throws SlurmUsageException {
        if (value.isEmpty()) {
            return value;
        }
        try {
            Dependencies.parse(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException(List.of("slurm_update error: Job dependency problem",
                    "Dependency=" + value + ": " + e.getMessage()));
        }
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
