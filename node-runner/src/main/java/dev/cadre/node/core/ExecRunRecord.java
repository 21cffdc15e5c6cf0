package dev.cadre.node.core;

import java.util.OptionalLong;

/**
 * What a node keeps on disk of a remote command it runs, so that a runner killed with SIGKILL can, once restarted,
 * still kill what the command started: its job attempt, and the pid of its wrapper (started by {@code setsid}; a
 * runner before wrappers recorded the command's {@code setsid bash}), which is the id of its process group and
 * session, with that process's start time (clock ticks after boot, field 22 of
 * /proc/PID/stat) so that a later process given the same pid is never taken for it. Pure.
 *
 * @param startTicks -1 when unknown (the process had already ended and been reaped when it was recorded)
 */
public record ExecRunRecord(long jobId, int attempt, long pid, long startTicks) {
    public static final String SUFFIX = ".run";

    public ExecRunRecord {
        if (jobId < 0 || attempt < 0 || pid <= 0 || startTicks < -1) {
            throw new IllegalArgumentException("not an exec run record: job " + jobId + " attempt " + attempt
                    + " pid " + pid + " start " + startTicks);
        }
    }

    /** One file per run, named so that two runs never share one. */
    public String fileName() {
        return namePrefix(jobId, attempt) + pid + SUFFIX;
    }

    /** What the names of the attempt's records start with; the pid follows. */
    public static String namePrefix(long jobId, int attempt) {
        return jobId + "-" + attempt + "-";
    }

    public String text() {
        return jobId + " " + attempt + " " + pid + " " + startTicks + "\n";
    }

    /** @throws IllegalArgumentException naming what is wrong with the text */
    public static ExecRunRecord parse(String text) {
        String[] fields = text.strip().split(" ");
        if (fields.length != 4) {
            throw new IllegalArgumentException("an exec run record has 4 fields (job attempt pid start), not "
                    + fields.length);
        }
        try {
            return new ExecRunRecord(Long.parseLong(fields[0]), Integer.parseInt(fields[1]),
                    Long.parseLong(fields[2]), Long.parseLong(fields[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an exec run record holds a field that is no number: " + e.getMessage());
        }
    }

    /**
     * Whether the run's session may still have processes, given the start time of whatever process has its pid
     * now. With none, yes: the leader ended, and Linux gives no new process a pid still in use as a group or
     * session id, so any process in that session is the run's. With the same start time, it is the leader itself.
     * With another (or when the record has none), the pid went to a later process, which it could only once the
     * session was empty.
     */
    public boolean mayStillRun(OptionalLong pidStartTicksNow) {
        return pidStartTicksNow.isEmpty() || startTicks >= 0 && pidStartTicksNow.getAsLong() == startTicks;
    }
}
