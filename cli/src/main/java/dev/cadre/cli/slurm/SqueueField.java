package dev.cadre.cli.slurm;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A column squeue can print: its -o letter, its -O name, its header, and how squeue renders the value. The
 * values come from one switch rather than a function per field: a short command pays for every class it loads,
 * and a lambda is one.
 *
 * @param letter the -o letter, 0 for a field only -O names
 * @param longName the -O name (case-insensitive), which also tells the fields apart
 */
public record SqueueField(char letter, String longName, String header) {

    /** A value, and whether squeue cuts it to the column width. */
    public record Cell(String text, boolean cut) {
    }

    /** What Slurm prints for a value it has not got. */
    static final String NOT_AVAILABLE = "N/A";

    static final List<SqueueField> ALL = List.of(
            new SqueueField('i', "jobarrayid", "JOBID"), new SqueueField('A', "jobid", "JOBID"),
            new SqueueField('F', "arrayjobid", "ARRAY_JOB_ID"), new SqueueField('K', "arraytaskid", "ARRAY_TASK_ID"),
            new SqueueField('j', "name", "NAME"), new SqueueField('P', "partition", "PARTITION"),
            new SqueueField('u', "username", "USER"), new SqueueField('t', "statecompact", "ST"),
            new SqueueField('T', "state", "STATE"), new SqueueField('M', "timeused", "TIME"),
            new SqueueField('l', "timelimit", "TIME_LIMIT"), new SqueueField('L', "timeleft", "TIME_LEFT"),
            new SqueueField('D', "numnodes", "NODES"), new SqueueField('C', "numcpus", "CPUS"),
            new SqueueField('c', "mincpus", "MIN_CPUS"), new SqueueField('R', "reasonlist", "NODELIST(REASON)"),
            new SqueueField('N', "nodelist", "NODELIST"), new SqueueField('r', "reason", "REASON"),
            new SqueueField('B', "batchhost", "EXEC_HOST"), new SqueueField('S', "starttime", "START_TIME"),
            new SqueueField('V', "submittime", "SUBMIT_TIME"), new SqueueField('e', "endtime", "END_TIME"),
            new SqueueField('E', "dependency", "DEPENDENCY"), new SqueueField('y', "nice", "NICE"),
            new SqueueField('Q', "prioritylong", "PRIORITY"), new SqueueField('p', "priority", "PRIORITY"),
            new SqueueField('Z', "workdir", "WORK_DIR"),
            new SqueueField('q', "qos", "QOS"), new SqueueField('m', "minmemory", "MIN_MEMORY"),
            new SqueueField('O', "contiguous", "CONTIGUOUS"), new SqueueField((char) 0, "exit_code", "EXIT_CODE"),
            new SqueueField((char) 0, "requeue", "REQUEUE"), new SqueueField((char) 0, "restartcnt", "RESTARTS"),
            new SqueueField((char) 0, "eligibletime", "ELIGIBLE_TIME"),
            new SqueueField((char) 0, "deadline", "DEADLINE"), new SqueueField('v', "reservation", "RESERVATION"),
            new SqueueField((char) 0, "numtasks", "NUM_TASKS"),
            new SqueueField('U', "userid", "USER"), new SqueueField('g', "groupname", "GROUP"),
            new SqueueField('G', "groupid", "GROUP"),
            // Fields Slurm has that mean nothing in Cadre: shown under their header as N/A.
            new SqueueField('a', "account", "ACCOUNT"), new SqueueField('b', "tres-per-node", "TRES_PER_NODE"),
            new SqueueField('d', "mintmpdisk", "MIN_TMP_DISK"), new SqueueField('f', "feature", "FEATURES"),
            new SqueueField('h', "oversubscribe", "OVER_SUBSCRIBE"), new SqueueField('H', "sockets", "SOCKETS_PER_NODE"),
            new SqueueField('I', "cores", "CORES_PER_SOCKET"), new SqueueField('J', "threads", "THREADS_PER_CORE"),
            new SqueueField('k', "comment", "COMMENT"), new SqueueField('n', "reqnodes", "REQ_NODES"),
            new SqueueField('o', "command", "COMMAND"),
            new SqueueField('s', "selectjobinfo", "SELECT_JOBINFO"),
            new SqueueField('w', "wckey", "WCKEY"),
            new SqueueField('W', "licenses", "LICENSES"), new SqueueField('x', "excnodes", "EXC_NODES"),
            new SqueueField('X', "corespec", "CORE_SPEC"), new SqueueField('Y', "schednodes", "SCHEDNODES"),
            new SqueueField('z', "sct", "S:C:T"));

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

    /** Whether squeue cuts the header to the column width: it never cuts the node list headers. */
    boolean cutsHeader() {
        return letter != 'R' && letter != 'N' && letter != 'Y';
    }

    /** The job's value in this column, as squeue prints it: most text cut to the width, times and nodes not. */
    public Cell value(SqueueJob j, Clock c) {
        return switch (longName) {
            case "jobarrayid" -> cut(j.displayId());
            case "jobid" -> cut(Long.toString(j.id()));
            case "arrayjobid" -> cut(Long.toString(j.arrayOrJobId()));
            case "arraytaskid" -> cut(arrayTask(j));
            case "name" -> cut(j.name());
            case "partition" -> cut(j.partitionName());
            case "username" -> cut(j.user());
            // Looked up where squeue runs; N/A for a user unknown here.
            case "userid" -> cut(UnixAccounts.system().uid(j.user()).orElse(NOT_AVAILABLE));
            case "groupid" -> cut(UnixAccounts.system().gid(j.user()).orElse(NOT_AVAILABLE));
            case "groupname" -> cut(UnixAccounts.system().group(j.user()).orElse(NOT_AVAILABLE));
            case "statecompact" -> cut(j.state().shortCode());
            case "state" -> cut(j.state().name());
            case "timeused" -> new Cell(SlurmTime.formatDuration(j.elapsedSeconds(c.instant())), false);
            case "timelimit" -> duration(j.timeLimitSeconds());
            case "timeleft" -> duration(j.timeLimitSeconds() == null ? null
                    : j.timeLimitSeconds() - j.elapsedSeconds(c.instant()));
            case "numnodes" -> cut(Integer.toString(j.nodes()));
            case "numcpus" -> cut(Integer.toString(j.cpus()));
            case "mincpus" -> cut(Integer.toString(Math.max(1, j.cpus() / Math.max(1, j.tasks()))));
            // A reason is cut to the width, a node list never.
            case "reasonlist" -> new Cell(j.nodesOrReason(), j.nodesOrReason().startsWith("("));
            case "nodelist" -> new Cell(j.nodesOrReason().startsWith("(") ? "" : j.nodesOrReason(), false);
            case "reason" -> cut(j.reasonName());
            case "batchhost" -> cut(batchHost(j));
            case "starttime" -> cut(date(j.startTime(), c));
            case "submittime" -> cut(date(j.submitTime(), c));
            case "endtime" -> cut(endTime(j, c));
            case "dependency" -> cut(j.dependency() == null ? "(null)" : j.dependency());
            case "nice" -> cut(Integer.toString(j.nice()));
            case "prioritylong" -> cut(Long.toString(j.priority() == null ? 0 : j.priority()));
            case "priority" -> cut(normalisedPriority(j.priority() == null ? 0 : j.priority()));
            case "workdir" -> cut(j.workDir());
            case "qos" -> cut("normal");
            // Slurm's figure without its per-CPU flag, as convert_num_unit prints it; 0 when none was asked for.
            case "minmemory" -> cut(SlurmNumbers.memory(j.minMemoryMb() == null ? 0 : j.minMemoryMb()));
            case "contiguous" -> cut("0");
            case "exit_code" -> cut(j.exitCode() == null ? "0" : Integer.toString(j.exitCode()));
            case "requeue" -> cut(j.requeue() ? "1" : "0");
            case "restartcnt" -> cut(Integer.toString(Math.max(0, j.attempt() - 1)));
            case "eligibletime" -> cut(date(j.eligibleTime(), c));
            case "deadline" -> cut(date(j.deadline(), c));
            case "numtasks" -> cut(Integer.toString(j.tasks()));
            case "schednodes" -> cut(j.schedNodes() == null ? "(null)" : j.schedNodes());
            // squeue prints the job's resv_name with printf's %s: glibc's (null) for none.
            case "reservation" -> cut(j.reservation() == null ? "(null)" : j.reservation());
            default -> cut(NOT_AVAILABLE);
        };
    }

    /**
     * %p: the priority as a fraction of the largest Slurm has (2^32 - 1), with 14 decimals, as squeue prints it
     * ("%16.14f"); the exact value of the double, rounded half to even as printf rounds it.
     */
    static String normalisedPriority(long priority) {
        double fraction = (double) priority / (double) 0xffffffffL;
        return new java.math.BigDecimal(fraction).setScale(14, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    private static Cell cut(String text) {
        return new Cell(text, true);
    }

    /** A duration is never cut; the word for none is. */
    private static Cell duration(Long seconds) {
        return seconds == null ? new Cell("UNLIMITED", true) : new Cell(SlurmTime.formatDuration(seconds), false);
    }

    private static String arrayTask(SqueueJob j) {
        if (j.isPendingTasks()) {
            return j.arrayPending() + (j.arrayThrottle() == null ? "" : "%" + j.arrayThrottle());
        }
        return j.arrayTaskId() == null ? NOT_AVAILABLE : Integer.toString(j.arrayTaskId());
    }

    /** The batch script runs on the first node of the allocation. */
    private static String batchHost(SqueueJob j) {
        return j.hosts().isEmpty() || j.nodesOrReason().startsWith("(") ? "n/a" : j.hosts().get(0);
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
