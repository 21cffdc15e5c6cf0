package dev.cadre.cli.slurm;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * srun's -i/--input: which tasks read what. Slurm's modes are {@code all} (srun's standard input to every task,
 * the default), a task id (to that task alone, the others reading /dev/null), {@code none} (/dev/null) and a file
 * name pattern, opened by each task on its node. srun's standard input, when it is a regular file, is opened by
 * each receiving task by its path, as a pattern's file is (cheaper than carrying it); inside a job, a pipe or
 * socket is forwarded to the receiving tasks through the exec relay as ssh forwards input (protocol.md §13.10).
 * Where it cannot be (srun outside a job, which passes only a file on to the srun inside it), a pipe or socket
 * is refused rather than let the tasks read nothing. A terminal is not forwarded.
 *
 * @param mode how the tasks' input was asked for
 * @param task the task that reads srun's input, for {@link Mode#TASK}
 * @param pattern the file each task opens, for {@link Mode#FILE}
 */
public record SrunInput(Mode mode, int task, String pattern) {
    /** The modes, DEFAULT standing for no -i given: Slurm's default is all. */
    public enum Mode { DEFAULT, ALL, TASK, NONE, FILE }

    /** What srun's own standard input is. */
    public enum SourceKind {
        /** /dev/null: nothing to forward. */
        NULL,
        /** A terminal: Cadre cannot forward what the user types. */
        TERMINAL,
        /** A regular file, which every receiving task can open by its path. */
        FILE,
        /** A regular file that has been deleted (as an older bash's here-document is): no path opens it. */
        DELETED_FILE,
        /** A pipe, socket or device with nothing written to it yet. */
        STREAM,
        /** A pipe, socket or device already holding data, which a task would expect to read. */
        STREAM_WITH_DATA,
        /** Not known (no /proc): as before, the tasks read /dev/null. */
        UNKNOWN
    }

    /** srun's standard input: its kind, and for a file its absolute path. */
    public record Source(SourceKind kind, String path) {
        /**
         * @param link what /proc/self/fd/0 links to ("/dev/null", "pipe:[7]", "/home/a/in.txt", "/dev/pts/3")
         * @param regularFile whether it is a regular file
         * @param dataWaiting whether bytes wait to be read on it now
         */
        public static Source of(String link, boolean regularFile, boolean dataWaiting) {
            if (link.equals("/dev/null")) {
                return new Source(SourceKind.NULL, link);
            }
            if (link.startsWith("/dev/pts/") || link.startsWith("/dev/tty") || link.equals("/dev/console")) {
                return new Source(SourceKind.TERMINAL, link);
            }
            if (regularFile) {
                return link.endsWith(" (deleted)") || !link.startsWith("/")
                        ? new Source(SourceKind.DELETED_FILE, link) : new Source(SourceKind.FILE, link);
            }
            return new Source(dataWaiting ? SourceKind.STREAM_WITH_DATA : SourceKind.STREAM, link);
        }
    }

    /**
     * What the tasks read.
     *
     * @param file the file (a pattern when {@code pattern}) the receiving tasks read, or null for /dev/null
     * @param onlyTask the one task that reads it, or null for all of them
     * @param warning a line for srun's stderr, or null
     * @param stream whether srun forwards its own standard input (a pipe or socket) to the receiving tasks
     */
    public record Plan(String file, boolean pattern, Integer onlyTask, String warning, boolean stream) {
        public Plan(String file, boolean pattern, Integer onlyTask, String warning) {
            this(file, pattern, onlyTask, warning, false);
        }

        /** Whether task {@code procId} reads srun's forwarded standard input. */
        public boolean streamsTo(int procId) {
            return stream && (onlyTask == null || onlyTask == procId);
        }

        /**
         * The file task {@code procId} reads, or null for /dev/null (what the exec relay gives a task anyway).
         *
         * @param expand a pattern's file name for this task ({@link StepTasks#fileName})
         */
        public String fileOf(int procId, UnaryOperator<String> expand) {
            if (file == null || (onlyTask != null && onlyTask != procId)) {
                return null;
            }
            return pattern ? expand.apply(file) : file;
        }
    }

    /** Slurm's reading of the value: none and all in any case, a whole number is a task id, anything else a file. */
    public static SrunInput parse(String value) throws SlurmUsageException {
        if (value == null) {
            return new SrunInput(Mode.DEFAULT, 0, null);
        }
        if (value.isEmpty()) {
            throw new SlurmUsageException("srun: error: --input needs a value: none, all, a task id or a file name");
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("none")) {
            return new SrunInput(Mode.NONE, 0, null);
        }
        if (lower.equals("all")) {
            return new SrunInput(Mode.ALL, 0, null);
        }
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return new SrunInput(Mode.TASK, Integer.parseInt(value), null);
            } catch (NumberFormatException e) {
                throw new SlurmUsageException("srun: error: --input=" + value + ": no such task id");
            }
        }
        return new SrunInput(Mode.FILE, 0, value);
    }

    /**
     * Whether srun outside a job forwards its standard input of this kind as it comes, from where it runs, rather
     * than giving the job its file: a pipe or socket, or a file no path opens any more.
     */
    public static boolean streamed(SourceKind kind) {
        return kind == SourceKind.STREAM || kind == SourceKind.STREAM_WITH_DATA || kind == SourceKind.DELETED_FILE;
    }

    /** Whether the tasks would read srun's own standard input (all, a task id, or the default). */
    public boolean forwardsStandardInput() {
        return mode == Mode.DEFAULT || mode == Mode.ALL || mode == Mode.TASK;
    }

    /** The text srun gives the srun it runs inside a job it submits, or null for none given. */
    public String spelled() {
        return switch (mode) {
            case DEFAULT -> null;
            case ALL -> "all";
            case NONE -> "none";
            case TASK -> Integer.toString(task);
            case FILE -> pattern;
        };
    }

    /**
     * @param tasks the step's task count
     * @throws SlurmUsageException when srun's standard input should reach the tasks and cannot
     */
    public Plan plan(Source stdin, int tasks) throws SlurmUsageException {
        return plan(stdin, tasks, false);
    }

    /**
     * @param canStream whether srun can forward a pipe or socket to its tasks (it runs them itself, inside a job)
     */
    public Plan plan(Source stdin, int tasks, boolean canStream) throws SlurmUsageException {
        if (mode == Mode.TASK && task >= tasks) {
            throw new SlurmUsageException("srun: error: --input=" + task + ": there is no task " + task
                    + " in a step of " + tasks + " task" + (tasks == 1 ? "" : "s"));
        }
        switch (mode) {
            case NONE:
                return new Plan(null, false, null, null);
            case FILE:
                return new Plan(pattern, true, null, null);
            default:
                break;
        }
        Integer only = mode == Mode.TASK ? task : null;
        boolean asked = mode != Mode.DEFAULT;
        String option = asked ? "--input=" + spelled() : "srun's default --input=all";
        switch (stdin.kind()) {
            case FILE:
                return new Plan(stdin.path(), false, only, null);
            case NULL:
            case UNKNOWN:
                return new Plan(null, false, null, null);
            case TERMINAL:
                if (asked) {
                    throw new SlurmUsageException("srun: error: " + option + ": standard input is a terminal,"
                            + " which Cadre cannot forward to tasks; redirect it from a file (srun ... < FILE) or"
                            + " use --input=FILE");
                }
                // As srun at a terminal usually runs programs that do not read it: no line each time.
                return new Plan(null, false, null, null);
            case DELETED_FILE:
                if (canStream) {
                    return new Plan(null, false, only, null, true); // read from srun's own descriptor
                }
                throw new SlurmUsageException("srun: error: " + option + ": standard input is a deleted file ("
                        + stdin.path() + "), which tasks cannot open by its name; write it to a file and use"
                        + " --input=FILE, or --input=none");
            case STREAM:
            case STREAM_WITH_DATA:
                if (canStream) {
                    return new Plan(null, false, only, null, true);
                }
                if (asked || stdin.kind() == SourceKind.STREAM_WITH_DATA) {
                    throw streamRefusal(option);
                }
                return new Plan(null, false, null, "srun: warning: standard input is a pipe or socket, which Cadre"
                        + " cannot forward to tasks; they read /dev/null (redirect it from a file, srun ... < FILE,"
                        + " to give it to them; --input=none says no input is meant)");
            default:
                throw streamRefusal(option);
        }
    }

    private static SlurmUsageException streamRefusal(String option) {
        return new SlurmUsageException("srun: error: " + option + ": standard input is a pipe or socket, which"
                + " Cadre cannot forward to tasks; redirect it from a file (srun ... < FILE), use --input=FILE,"
                + " or --input=none if the tasks do not read it");
    }
}
