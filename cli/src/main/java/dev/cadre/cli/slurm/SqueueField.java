package dev.cadre.cli.slurm;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * A column squeue can print: its -o letter, its -O name, its header, and how squeue renders the value.
 *
 * @param letter the -o letter, 0 for a field only -O names
 * @param longName the -O name (case-insensitive), null for a letter only -o knows
 */
public record SqueueField(char letter, String longName, String header, BiFunction<SqueueJob, Clock, Cell> value) {

    /** A value, and whether squeue cuts it to the column width. */
    public record Cell(String text, boolean cut) {
    }

    /** What Slurm prints for a value it has not got. */
    static final String NOT_AVAILABLE = "N/A";

    /** Text squeue cuts to the column width, as it does most values. */
    private static SqueueField of(char letter, String longName, String header,
            BiFunction<SqueueJob, Clock, String> value) {
        return new SqueueField(letter, longName, header, (j, c) -> new Cell(value.apply(j, c), true));
    }

    /** Text squeue never cuts: a long one widens its column. */
    private static SqueueField uncut(char letter, String longName, String header,
            BiFunction<SqueueJob, Clock, String> value) {
        return new SqueueField(letter, longName, header, (j, c) -> new Cell(value.apply(j, c), false));
    }

    /** Fields Slurm has that mean nothing in Cadre: shown under their header as N/A. */
    private static SqueueField absent(char letter, String longName, String header) {
        return of(letter, longName, header, (j, c) -> NOT_AVAILABLE);
    }

    /** A duration is never cut; the word for none is. */
    private static Cell duration(Long seconds) {
        return seconds == null ? new Cell("UNLIMITED", true) : new Cell(SlurmTime.formatDuration(seconds), false);
    }

    static final List<SqueueField> ALL = List.of(
            of('i', "jobarrayid", "JOBID", (j, c) -> j.displayId()),
            of('A', "jobid", "JOBID", (j, c) -> Long.toString(j.id())),
            of('F', "arrayjobid", "ARRAY_JOB_ID", (j, c) -> Long.toString(j.arrayOrJobId())),
            of('K', "arraytaskid", "ARRAY_TASK_ID", SqueueField::arrayTask),
            of('j', "name", "NAME", (j, c) -> j.name()),
            of('P', "partition", "PARTITION", (j, c) -> SqueueJob.PARTITION),
            of('u', "username", "USER", (j, c) -> j.user()),
            of('t', "statecompact", "ST", (j, c) -> j.state().shortCode()),
            of('T', "state", "STATE", (j, c) -> j.state().name()),
            uncut('M', "timeused", "TIME", (j, c) -> SlurmTime.formatDuration(j.elapsedSeconds(c.instant()))),
            new SqueueField('l', "timelimit", "TIME_LIMIT", (j, c) -> duration(j.timeLimitSeconds())),
            new SqueueField('L', "timeleft", "TIME_LEFT", (j, c) -> duration(j.timeLimitSeconds() == null ? null
                    : j.timeLimitSeconds() - j.elapsedSeconds(c.instant()))),
            of('D', "numnodes", "NODES", (j, c) -> Integer.toString(j.nodes())),
            of('C', "numcpus", "CPUS", (j, c) -> Integer.toString(j.cpus())),
            of('c', "mincpus", "MIN_CPUS", (j, c) -> Integer.toString(Math.max(1, j.cpus() / Math.max(1,
                    j.tasks())))),
            // A reason is cut to the width, a node list never.
            new SqueueField('R', "reasonlist", "NODELIST(REASON)", (j, c) -> new Cell(j.nodesOrReason(),
                    j.nodesOrReason().startsWith("("))),
            uncut('N', "nodelist", "NODELIST", (j, c) -> j.nodesOrReason().startsWith("(") ? ""
                    : j.nodesOrReason()),
            of('r', "reason", "REASON", (j, c) -> j.reasonName()),
            of('B', "batchhost", "EXEC_HOST", SqueueField::batchHost),
            of('S', "starttime", "START_TIME", (j, c) -> date(j.startTime(), c)),
            of('V', "submittime", "SUBMIT_TIME", (j, c) -> date(j.submitTime(), c)),
            of('e', "endtime", "END_TIME", SqueueField::endTime),
            of('E', "dependency", "DEPENDENCY", (j, c) -> j.dependency() == null ? "" : j.dependency()),
            of('y', "nice", "NICE", (j, c) -> Integer.toString(j.nice())),
            of('Q', "prioritylong", "PRIORITY", (j, c) -> Long.toString(j.priority() == null ? 0 : j.priority())),
            of('Z', "workdir", "WORK_DIR", (j, c) -> j.workDir()),
            of('q', "qos", "QOS", (j, c) -> "normal"),
            of('m', "minmemory", "MIN_MEMORY", (j, c) -> "0"),
            of('O', "contiguous", "CONTIGUOUS", (j, c) -> "0"),
            of((char) 0, "exit_code", "EXIT_CODE", (j, c) -> j.exitCode() == null ? "0"
                    : Integer.toString(j.exitCode())),
            of((char) 0, "requeue", "REQUEUE", (j, c) -> j.requeue() ? "1" : "0"),
            of((char) 0, "restartcnt", "RESTARTS", (j, c) -> Integer.toString(Math.max(0, j.attempt() - 1))),
            of((char) 0, "eligibletime", "ELIGIBLE_TIME", (j, c) -> date(j.eligibleTime(), c)),
            of((char) 0, "numtasks", "NUM_TASKS", (j, c) -> Integer.toString(j.tasks())),
            absent('a', "account", "ACCOUNT"),
            absent('b', "tres-per-node", "TRES_PER_NODE"),
            absent('d', "mintmpdisk", "MIN_TMP_DISK"),
            absent('f', "feature", "FEATURES"),
            absent('g', "groupname", "GROUP"),
            absent('G', "groupid", "GROUP"),
            absent('h', "oversubscribe", "OVER_SUBSCRIBE"),
            absent('H', "sockets", "SOCKETS_PER_NODE"),
            absent('I', "cores", "CORES_PER_SOCKET"),
            absent('J', "threads", "THREADS_PER_CORE"),
            absent('k', "comment", "COMMENT"),
            absent('n', "reqnodes", "REQ_NODES"),
            absent('o', "command", "COMMAND"),
            absent('p', "priority", "PRIORITY"),
            absent('s', "selectjobinfo", "SELECT_JOBINFO"),
            absent('U', "userid", "USER"),
            absent('v', "reservation", "RESERVATION"),
            absent('w', "wckey", "WCKEY"),
            absent('W', "licenses", "LICENSES"),
            absent('x', "excnodes", "EXC_NODES"),
            absent('X', "corespec", "CORE_SPEC"),
            absent('Y', "schednodes", "SCHEDNODES"),
            absent('z', "sct", "S:C:T"));

    static SqueueField byLetter(char letter) {
        for (SqueueField f : ALL) {
            if (f.letter == letter) {
                return f;
            }
        }
        return null;
    }

    static SqueueField byLongName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (SqueueField f : ALL) {
            if (lower.equals(f.longName)) {
                return f;
            }
        }
        return null;
    }

    private static String arrayTask(SqueueJob j, Clock c) {
        if (j.isPendingTasks()) {
            return j.arrayPending() + (j.arrayThrottle() == null ? "" : "%" + j.arrayThrottle());
        }
        return j.arrayTaskId() == null ? NOT_AVAILABLE : Integer.toString(j.arrayTaskId());
    }

    private static String batchHost(SqueueJob j, Clock c) {
        String nodes = j.nodesOrReason();
        if (nodes.isEmpty() || nodes.startsWith("(")) {
            return "n/a";
        }
        // The batch script runs on the first node of the allocation.
        int comma = nodes.indexOf(',');
        return comma < 0 ? nodes : nodes.substring(0, comma);
    }

    /** A running job ends at its limit ("NONE" without one); an ended one when it did; others are not known. */
    private static String endTime(SqueueJob j, Clock c) {
        if (j.endTime() != null) {
            return date(j.endTime(), c);
        }
        if (j.startTime() == null || !j.state().isActive()) {
            return NOT_AVAILABLE;
        }
        return j.timeLimitSeconds() == null ? "NONE" : date(j.startTime().plusSeconds(j.timeLimitSeconds()), c);
    }

    private static String date(Instant t, Clock c) {
        return t == null ? NOT_AVAILABLE : SlurmTime.formatDate(t, c.getZone());
    }
}
