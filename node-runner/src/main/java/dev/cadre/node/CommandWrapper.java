package dev.cadre.node;

import dev.cadre.node.core.CpuList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a remote command starts ({@link ExecRun}): {@code bash -c COMMAND} under a small sh wrapper that leads the
 * command's session and process group (and has joined its cgroup first, where the node tracks processes by cgroup)
 * and records the command's exit status in a file of the exec records ({@link ExecRecords#exitStatus}) before it
 * exits with the same status, and after it what the shell's {@code times} says its children used
 * ({@link dev.cadre.node.core.CommandStatus}): the CPU time of bash and of every process of the command that was
 * waited for, which the command's exit reports as its usage where no cgroup counts it (sh has no getrusage, and
 * {@code times} costs no process). The runner that started the command learns its status as the wrapper's parent,
 * and reads the file for the CPU time; one restarted while the command ran is no parent of it, and reads both from
 * the file, as it reads a batch job's status file ({@code job-wrapper.c}). Being {@code /bin/sh} (dash on Debian),
 * it costs under 2 MB beside the command.
 *
 * <p>The wrapper catches the signals that end a process by default and can be caught (a command may send them to
 * its own group, {@code kill -USR1 0}, and Cadre's kill sends SIGTERM to the whole session): it is waiting for the
 * command's bash then, so it handles them once bash has ended, and records bash's status. A caught signal is back at
 * its default in bash. SIGKILL ends it unrecorded, which leaves the status unknown, as the command's kill then is.
 *
 * <p>With a status file, the command's stdout and stderr are named pipes beside it, which the wrapper holds open
 * until it exits ({@link #outputPipe}): a runner killed or stopped while the command runs leaves the command
 * writing to a pipe that still has a reader, and the next runner reads on ({@link AdoptedOutput}).
 */
final class CommandWrapper {
    /** The CPUs the kernel runs things on now. */
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");
    /** What the wrapper's status file is named after its record: {@code NAME.exit}. */
    static final String EXIT = ".exit";
    /**
     * sh: a function {@code io} that sets r and w to the read_bytes and write_bytes of the wrapper's own
     * /proc/$$/io, {@code -} when they cannot be read; builtins only, costing no process. Read before bash and again
     * once bash has ended, so that the status's fourth line holds the counts of bash and of every process of the
     * command that was waited for, which the kernel adds to the wrapper's as it reaps them ({@link CommandStatus});
     * read before the status is written, whose own write is the wrapper's.
     */
    private static final String OWN_IO = "io() { r=-; w=-; while read -r k v; do case $k in read_bytes:) r=$v;;"
            + " write_bytes:) w=$v;; esac; done < /proc/$$/io; };";
    /** What the named pipe of a stream is named after its record: {@code NAME.stdout}, {@code NAME.stderr}. */
    static final String STDOUT = ".stdout";
    static final String STDERR = ".stderr";
    /**
     * sh, with a status file ($0, {@code NAME.exit}): moves the command's stdout and stderr (fd 3 by then) onto named
     * pipes beside it ({@link #outputPipe}), made unless there, which the wrapper first opens for reading and writing
     * itself (fds 4 and 5, closed for bash) and holds until bash has ended: a runner killed or stopped leaves them
     * with a reader all the same, so the command never gets SIGPIPE or EPIPE for writing its output while no runner
     * runs; it waits, once a pipe is full, for the next runner to read it. Its own pipelines are its own. Replacing the
     * wrapper's own pipes tells the runner to read the named ones ({@link OutputPump}). Where they cannot be made, the
     * command keeps the runner's, as before them.
     */
    private static final String OUTPUT_PIPES = "case $0 in *" + EXIT + ") o=${0%" + EXIT + "}" + STDOUT + "; e=${0%"
            + EXIT + "}" + STDERR + "; [ -p \"$o\" ] && [ -p \"$e\" ] || mkfifo -m 600 \"$o\" \"$e\"; [ -p \"$o\" ]"
            + " && [ -p \"$e\" ] && exec 4<>\"$o\" 5<>\"$e\" && exec 1>\"$o\" 3>\"$e\" && p=1;; esac;";
    /**
     * sh, once bash has ended and its status is written: lets go of the named pipes only once a runner reads them,
     * since their contents go with their last holder, and a command may end before any runner has opened them (a
     * short one under a runner just started, or any while no runner runs), but waits no longer than $2 seconds
     * ({@link #commandLine}): a runner back later could tell the output to no one, and one that never comes back
     * (its node failed with it) would leave the wrapper, whose command line holds the command's, waiting for ever.
     * Its read-and-write ends closed (the wrapper's stdout and stderr still hold the pipes), a child opens them for
     * writing, which waits for a reader, under {@code timeout}, which ends it at the bound; a kill of the session ends
     * both. Where there is no {@code timeout}, the wrapper waits for no reader.
     */
    private static final String OUTPUT_HANDOVER = "[ -z \"$p\" ] || { exec 4<&- 5<&-; timeout \"$2\" /bin/sh -c"
            + " 'exec 6>\"$0\" 7>\"$1\"' \"$o\" \"$e\"; };";
    /**
     * The CPUs the command is bound to ({@link AttemptCpus}), in the list format, in the wrapper's environment alone
     * ({@link #bindTo}); unset before bash starts.
     */
    static final String CPUS_VARIABLE = "CADRE_COMMAND_CPUS";
    /**
     * sh: takes the CPUs ($c) out of the environment; bash then starts under {@code taskset -c}, which execs it
     * bound to them: no process more per command, and the wrapper itself stays a plain sh. Where there is no taskset
     * (util-linux), the command runs on any CPU, said on its stderr.
     */
    private static final String BIND = "c=$" + CPUS_VARIABLE + "; unset " + CPUS_VARIABLE + "; [ -z \"$c\" ] ||"
            + " command -v taskset >/dev/null || { echo \"cadre: taskset (util-linux) is not installed: this command"
            + " runs on any CPU, not on its job's $c\" >&3; c=; };";
    /**
     * sh: $0 the status file, $1 the command, $2 how long it waits for a reader of its output at its end. The status
     * and {@code times} go to the file through one redirection, written before the wrapper exits, so a runner that
     * sees the wrapper gone reads them whole. The wrapper's own
     * stderr is /dev/null: sh reports a child killed by a signal there ("Terminated"), which is no output of the
     * command's. Bash, exec'd from a subshell, gets the
     * stderr the wrapper was started with; set around bash itself, that redirection would be sh's while it waits.
     */
    private static final String WRAPPER = "exec 3>&2 2>/dev/null; trap : HUP INT QUIT ABRT USR1 USR2 PIPE ALRM TERM;"
            + " " + OUTPUT_PIPES + " " + BIND + " " + OWN_IO + " io; r0=$r; w0=$w;"
            + " (exec ${c:+taskset} ${c:+-c} ${c:+\"$c\"} bash -c \"$1\" 2>&3 3>&- 4>&- 5>&-); s=$?; io;"
            + " { echo \"$s\"; times; echo \"$r0 $w0 $r $w\"; }"
            + " > \"$0\"; " + OUTPUT_HANDOVER + " exit \"$s\"";
    /**
     * sh: $0 the stem of the status file's path, to which the wrapper's pid is added; $1 the command, $2 the wrapper,
     * $3 its wait for a reader.
     * The sh the JVM starts is no group leader, so setsid(1) does not fork: the wrapper keeps its pid, which names
     * the command's record ({@link dev.cadre.node.core.ExecRunRecord}). That record can be written only once the pid
     * is known, after the start, so nothing runs until the runner says it and the request's id are written
     * ({@link ExecRun#GO} on stdin): a runner killed before that closes the pipe, and the command never runs
     * unrecorded, to run again for the broker's copy of its request. The wrapper then takes back the request's id, if
     * it was recorded, so that the next runner does not take the command for one that ran and runs the copy once.
     */
    private static final String IN_SESSION = "read -r go && [ \"$go\" = " + ExecRun.GO + " ] || { rm -f \"$0$$"
            + ExecRecords.REQUEST + "\"; exit 255; }; exec setsid /bin/sh -c \"$2\" \"$0$$" + EXIT
            + "\" \"$1\" \"$3\"";
    /** Unless the command takes input, which is the rest of the same pipe: sh's read takes no byte past its line. */
    private static final String NO_INPUT = " < /dev/null";
    /**
     * sh: joins the cgroup ($0) and becomes the wrapper, keeping its pid; $1 the command, $2 the status file, $3 the
     * wrapper, $4 its wait for a reader. Nothing of the command runs outside the cgroup.
     */
    private static final String JOIN_THEN_RUN = "echo $$ > \"$0/cgroup.procs\" || { echo \"cadre: cannot join the"
            + " cgroup $0\" >&2; exit 255; }; exec setsid /bin/sh -c \"$3\" \"$2\" \"$1\" \"$4\"";

    private CommandWrapper() {
    }

    /**
     * Binds the command to the CPUs (none when empty) through its wrapper's environment; a job's own value of the
     * variable is no binding. CPUs no longer online (taken offline since the choice) are left out, and the command
     * runs unbound when none is left, as taskset would fail it.
     */
    static void bindTo(Map<String, String> environment, Set<Integer> cpus) {
        environment.remove(CPUS_VARIABLE);
        Set<Integer> online = new TreeSet<>(cpus);
        if (!online.isEmpty()) {
            try {
                online.retainAll(CpuList.parse(Files.readString(ONLINE)));
            } catch (IOException | IllegalArgumentException e) {
                // Unknown: the choice stands.
            }
        }
        if (!online.isEmpty()) {
            environment.put(CPUS_VARIABLE, CpuList.format(online));
        }
    }

    /** The named pipe a command's wrapper moves the stream onto, beside the status file it records in. */
    static Path outputPipe(Path statusFile, String stream) {
        String name = statusFile.getFileName().toString();
        return statusFile.resolveSibling(name.substring(0, name.length() - EXIT.length()) + stream);
    }

    /** Whether the wrapper waits for the runner's word on stdin before anything of the command runs. */
    static boolean gated(Path cgroup, Path exitStem) {
        return cgroup == null && exitStem != null;
    }

    /**
     * @param cgroup the command's cgroup, or null to track it by session
     * @param exitStem where the status goes: with a cgroup, the status file's path without {@value #EXIT}; without,
     *     that path without the wrapper's pid and {@value #EXIT} ({@link ExecRecords#exitStem}); null for nowhere.
     *     Tracked by session with a status file, it is {@link #gated}.
     * @param input whether the command reads the wrapper's standard input (else /dev/null)
     * @param readerWait how long, at most, the wrapper waits at its end for a runner to read the rest of the
     *     command's output ({@link #OUTPUT_HANDOVER}), in whole seconds, rounded up
     */
    static List<String> commandLine(String command, Path cgroup, Path exitStem, boolean input, Duration readerWait) {
        String wait = Long.toString(Math.max(1, (readerWait.toMillis() + 999) / 1000));
        if (cgroup != null) {
            String exit = exitStem == null ? "/dev/null" : exitStem + EXIT;
            return List.of("/bin/sh", "-c", JOIN_THEN_RUN, cgroup.toString(), command, exit, WRAPPER, wait);
        }
        if (exitStem == null) {
            return List.of("setsid", "/bin/sh", "-c", WRAPPER, "/dev/null", command);
        }
        return List.of("/bin/sh", "-c", IN_SESSION + (input ? "" : NO_INPUT), exitStem.toString(), command, WRAPPER,
                wait);
    }
}
