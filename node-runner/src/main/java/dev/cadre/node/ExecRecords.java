package dev.cadre.node;

import dev.cadre.node.core.CommandStatus;
import dev.cadre.node.core.ExecRunRecord;
import dev.cadre.node.core.HeldAttemptRecord;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exec service's files, in {@code exec/} of the node's runtime directory beside the attempt directories: one
 * per remote command whose session may still have processes ({@code JOB-ATTEMPT-PID.run}, {@link ExecRunRecord}),
 * and one per attempt held here for a job another node coordinates ({@code JOB-ATTEMPT.held}, its place-job after
 * the CPUs its commands are bound to and the GPUs they are given, {@link HeldAttemptRecord}), the only record of
 * either. With them a runner killed with SIGKILL, once restarted, holds those attempts again and kills what their
 * commands left once they end. (An attempt this node coordinates has its attempt directory.) Beside a command's
 * record (or named as its cgroup) are the request it runs for ({@code .request}) and, once it ended, its exit status
 * as its wrapper recorded it ({@code .exit}, {@link CommandWrapper}): what a restarted runner answers the command's
 * agent with. Beside a command's cgroup is also its wrapper ({@code .wrapper}): a
 * restarted runner leaves it out of the job's memory, as it does a session's leader. Beside each are also the named
 * pipes its wrapper gives the command for its stdout and stderr ({@code .stdout}, {@code .stderr},
 * {@link CommandWrapper}), which a restarted runner reads on ({@link AdoptedOutput}). {@link SuspendedCommands} marks
 * here each attempt whose commands are suspended ({@code JOB-ATTEMPT.suspended}).
 */
final class ExecRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ExecRecords.class);
    static final String HELD = ".held";
    /** The request id of a command, for a restarted runner to answer its agent when the command ends. */
    static final String REQUEST = ".request";
    /** The pid and start time of the wrapper of a command in a cgroup, which, unlike a session's, nothing names. */
    static final String WRAPPER = ".wrapper";
    private static final String PARTIAL = ".partial";
    /** What is kept of a command beside its record (or named as its cgroup) until its agent has its exit. */
    private static final List<String> RECORDED = List.of(REQUEST, CommandWrapper.EXIT, WRAPPER, CommandWrapper.STDOUT,
            CommandWrapper.STDERR);
    private final Path dir;

    ExecRecords(Path dir) throws IOException {
        this.dir = dir;
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
    }

    Path dir() {
        return dir;
    }

    /**
     * Records a command's bash, just started; read from /proc now, before it can end and be reaped.
     *
     * @throws IOException when it cannot be written: the command is then not to run, since nothing would kill it
     *     after a crash
     */
    ExecRunRecord recordRun(long jobId, int attempt, long pid) throws IOException {
        OptionalLong started = ProcessGroups.startTicks(pid);
        ExecRunRecord run = new ExecRunRecord(jobId, attempt, pid, started.orElse(-1));
        write(run.fileName(), run.text());
        return run;
    }

    /** The name a command's request and exit status are recorded under: its record's, or its cgroup's. */
    static String nameOf(ExecRunRecord record, Path cgroup) {
        if (record == null) {
            return cgroup.getFileName().toString();
        }
        String file = record.fileName();
        return file.substring(0, file.length() - ExecRunRecord.SUFFIX.length());
    }

    /** The run's session is empty: nothing is left to kill. */
    void forget(ExecRunRecord run) {
        delete(run.fileName());
    }

    /**
     * Records which request a command runs for, under the name of its record or cgroup.
     *
     * @throws IOException when it cannot be written: the command is then not to run, as when its run is not recorded
     */
    void recordRequest(String command, String requestId) throws IOException {
        write(command + REQUEST, requestId);
    }

    /** The request a command runs for, if recorded (runners before this one did not). */
    Optional<String> request(String command) {
        try {
            return Optional.of(Files.readString(dir.resolve(command + REQUEST)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the command in this cgroup is still to be answered for: its request is recorded until its exit is sent
     * (or nobody waits for it any more). A stopping runner leaves such a cgroup, empty or not, for the next one to
     * adopt ({@link AttemptCgroups#removeEmpty}): removed, the next one would know nothing of the command, and would
     * tell its agent so (exit 255) instead of the exit its wrapper recorded.
     */
    boolean leavesForNextStart(ProcessTracking.GroupName command) {
        return Files.exists(dir.resolve(command.text() + REQUEST));
    }

    /**
     * Its agent has its exit, or nobody waits for it any more: its request, exit status, wrapper and output pipes are
     * forgotten (a process that holds a pipe open keeps it, nameless).
     */
    void forgetRequest(String command) {
        for (String suffix : RECORDED) {
            delete(command + suffix);
        }
    }

    /**
     * Records the wrapper of a command in a cgroup, just started (this JVM's child, so its pid is not reused yet). Not
     * written, a restarted runner counts the wrapper's memory (under 2 MB) as the job's: logged, not fatal.
     */
    void recordWrapper(String command, long pid) {
        JobProcesses.Leader wrapper = JobProcesses.Leader.identify(pid);
        try {
            write(command + WRAPPER, wrapper.pid() + " " + wrapper.startTicks() + "\n");
        } catch (IOException e) {
            LOG.warn("cannot record the wrapper {} of the command {}: {}", pid, command, e.toString());
        }
    }

    /**
     * The wrapper recorded for a command in a cgroup; {@link JobProcesses.Leader#NONE} when none is (runners before
     * this one did not record it, or it could not be).
     */
    JobProcesses.Leader wrapper(String command) {
        try {
            String[] f = Files.readString(dir.resolve(command + WRAPPER)).strip().split(" ");
            return new JobProcesses.Leader(Long.parseLong(f[0]), f.length == 2 ? Long.parseLong(f[1]) : -1);
        } catch (IOException | NumberFormatException e) {
            return JobProcesses.Leader.NONE;
        }
    }

    /**
     * Where the wrapper of a command records its exit status ({@link CommandWrapper#commandLine}): for one in a
     * cgroup, its name without {@link CommandWrapper#EXIT}; for one tracked by session, that without its wrapper's
     * pid, which names its record.
     */
    Path exitStem(long jobId, int attempt, Path cgroup) {
        return dir.resolve(cgroup != null ? cgroup.getFileName().toString()
                : ExecRunRecord.namePrefix(jobId, attempt));
    }

    /**
     * The exit status the command's wrapper recorded once it ended, with the CPU time it recorded beside it; none when
     * it has not, or not whole (it was killed with SIGKILL, or the command was started by a runner before wrappers).
     */
    Optional<CommandStatus> exitStatus(String command) {
        return readStatus(dir.resolve(command + CommandWrapper.EXIT));
    }

    /** The status a command's wrapper recorded in this file ({@link CommandWrapper}); none as {@link #exitStatus}. */
    static Optional<CommandStatus> readStatus(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("{}: cannot read the command's exit status ({}); taken for unknown", file, e.toString());
            return Optional.empty();
        }
        Optional<CommandStatus> status = CommandStatus.parse(text);
        if (status.isEmpty()) {
            LOG.warn("{}: not an exit status; taken for unknown", file);
        }
        return status;
    }

    /** The commands whose requests, exit statuses, wrappers or output pipes are recorded; partial records removed. */
    Set<String> requested() throws IOException {
        for (String suffix : List.of(REQUEST + PARTIAL, WRAPPER + PARTIAL)) {
            for (Path partial : files(suffix)) {
                Files.deleteIfExists(partial);
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String suffix : RECORDED) {
            for (Path f : files(suffix)) {
                String name = f.getFileName().toString();
                out.add(name.substring(0, name.length() - suffix.length()));
            }
        }
        return out;
    }

    /** A held attempt's place-job, and the CPUs and GPUs its remote commands here are given (empty for none). */
    record Held(NodeCommand.PlaceJob place, SortedSet<Integer> cpus, SortedSet<Integer> gpus) {
    }

    /** @throws IOException when it cannot be written; the attempt is held all the same until the runner stops */
    void hold(NodeCommand.PlaceJob place, Set<Integer> cpus, Collection<Integer> gpus) throws IOException {
        write(heldName(place.jobId(), place.attempt()), new HeldAttemptRecord(new TreeSet<>(cpus), new TreeSet<>(gpus),
                MessageCodec.encode(place)).text());
    }

    void release(long jobId, int attempt) {
        delete(heldName(jobId, attempt));
    }

    private static String heldName(long jobId, int attempt) {
        return jobId + "-" + attempt + HELD;
    }

    /** The attempts held here for other nodes' jobs when the last runner stopped. */
    List<Held> held() throws IOException {
        for (Path partial : files(HELD + PARTIAL)) {
            // Written on the command thread before its place-job was acknowledged: the place-job comes again.
            Files.deleteIfExists(partial);
        }
        List<Held> out = new ArrayList<>();
        for (Path f : files(HELD)) {
            try {
                HeldAttemptRecord r = HeldAttemptRecord.parse(Files.readString(f));
                out.add(new Held(MessageCodec.decode(r.place(), NodeCommand.PlaceJob.class), r.cpus(), r.gpus()));
            } catch (ProtocolException | IOException | IllegalArgumentException e) {
                // Written whole or not at all, so nobody made this one: nothing is held by it.
                LOG.warn("{}: not a held attempt's place-job ({}); removing it", f, e.getMessage());
                Files.deleteIfExists(f);
            }
        }
        return out;
    }

    /** The commands the last runner recorded and did not see end. */
    List<ExecRunRecord> runs() throws IOException {
        for (Path partial : files(ExecRunRecord.SUFFIX + PARTIAL)) {
            // The runner stopped while recording a command it had started: kept if it was written whole.
            try {
                ExecRunRecord.parse(Files.readString(partial));
                String name = partial.getFileName().toString();
                Path whole = partial.resolveSibling(name.substring(0, name.length() - PARTIAL.length()));
                Files.move(partial, whole, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IllegalArgumentException | IOException cutShort) {
                Files.deleteIfExists(partial);
            }
        }
        List<ExecRunRecord> out = new ArrayList<>();
        for (Path f : files(ExecRunRecord.SUFFIX)) {
            try {
                out.add(ExecRunRecord.parse(Files.readString(f)));
            } catch (IllegalArgumentException | IOException e) {
                LOG.warn("{}: not an exec run record ({}); removing it", f, e.getMessage());
                Files.deleteIfExists(f);
            }
        }
        return out;
    }

    private List<Path> files(String suffix) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + suffix)) {
            entries.forEach(out::add);
        }
        return out;
    }

    /** Whole or not at all: a runner killed mid-write leaves only a partial file, which the next one removes. */
    private void write(String name, String text) throws IOException {
        Path partial = dir.resolve(name + PARTIAL);
        // Only this node's user can enter the directory, which is what keeps the tokens in place-jobs secret.
        Files.writeString(partial, text);
        Files.move(partial, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void delete(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir.resolve(name), e.toString());
        }
    }
}
