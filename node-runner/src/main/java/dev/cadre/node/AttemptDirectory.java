package dev.cadre.node;

import dev.cadre.node.core.WrapperStatus;
import dev.cadre.protocol.CpuIdList;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One attempt's state on disk: the place-job, the script, the claim and, once it ends, the exit status
 * written by the wrapper. It outlives the node-runner, which is how a restarted runner finds its jobs again.
 */
record AttemptDirectory(Path dir) {
    static final String PLACE = "place.json";
    static final String SCRIPT = "script";
    static final String PID = "pid";
    static final String STATUS = "status";
    static final String CLAIM = "claim";
    /** The GPUs the attempt was given, in Linux's list format; absent when none. */
    static final String GPUS = "gpus";
    /** What a wrapper that could not join the attempt's cgroup writes instead of a status: the path and errno. */
    static final String FAILED = "failed";
    /** What a wrapper forked by the job launcher calls itself, followed by its claim's path. */
    static final String WRAPPER_NAME = "cadre-wrapper ";

    /**
     * A claim, status or pid file that holds no record a wrapper or runner writes: cut short (a full file system
     * under a wrapper of an older node-runner, which did not check its writes) or damaged.
     */
    static final class DamagedRecord extends IOException {
        DamagedRecord(Path file, String text, String expected) {
            super(file + " holds " + shown(text) + ", not " + expected);
        }

        /** Quoted, at most 40 characters of it, anything unprintable as '?'. */
        private static String shown(String text) {
            String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            return text.isEmpty() ? "nothing" : "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
        }
    }

    static Path of(Path jobsDir, long jobId, int attempt) {
        return jobsDir.resolve(jobId + "-" + attempt);
    }

    /**
     * Creates the directory; empty when it already exists (a repeated place-job).
     *
     * @throws IOException when it cannot be created and written; what was made of it is removed, since a directory
     *     left behind would make a repeated place-job ignore itself
     */
    static Optional<AttemptDirectory> create(Path jobsDir, NodeCommand.PlaceJob place) throws IOException {
        Path dir = of(jobsDir, place.jobId(), place.attempt());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        }
        AttemptDirectory d = new AttemptDirectory(dir);
        try {
            Files.writeString(dir.resolve(PLACE), MessageCodec.encode(place));
            Path script = dir.resolve(SCRIPT);
            Files.writeString(script, place.spec().script());
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | RuntimeException e) {
            try {
                d.delete();
            } catch (IOException notRemoved) {
                e.addSuppressed(notRemoved);
            }
            throw e;
        }
        return Optional.of(d);
    }

    NodeCommand.PlaceJob place() throws IOException {
        try {
            return MessageCodec.decode(Files.readString(dir.resolve(PLACE)), NodeCommand.PlaceJob.class);
        } catch (dev.cadre.protocol.ProtocolException e) {
            throw new IOException(dir + ": unreadable place-job: " + e.getMessage(), e);
        }
    }

    /**
     * The place-job, or empty when it is missing or cut short: the runner stopped while creating the attempt, so
     * nothing of it ran (the wrapper starts only after {@link #create}).
     *
     * @throws IOException when the file cannot be read for another reason: the attempt may be running, so its
     *     directory must stay
     */
    Optional<NodeCommand.PlaceJob> writtenPlace() throws IOException {
        String text;
        try {
            text = Files.readString(dir.resolve(PLACE));
        } catch (NoSuchFileException | CharacterCodingException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(MessageCodec.decode(text, NodeCommand.PlaceJob.class));
        } catch (dev.cadre.protocol.ProtocolException e) {
            return Optional.empty();
        }
    }

    /** Keeps the attempt's GPUs ({@link BoundGpus}) for a restarted runner, before its wrapper starts. */
    void recordGpus(List<Integer> gpus) throws IOException {
        if (!gpus.isEmpty()) {
            Files.writeString(dir.resolve(GPUS), CpuIdList.format(new TreeSet<>(gpus)) + "\n");
        }
    }

    /** The GPUs {@link #recordGpus} kept; none when it kept none (or an older runner started the attempt). */
    List<Integer> recordedGpus() throws IOException {
        Path f = dir.resolve(GPUS);
        String text = Files.exists(f) ? Files.readString(f) : "";
        if (CpuIdList.problem(text) != null) {
            throw new DamagedRecord(f, text, "a list of GPU indexes");
        }
        return List.copyOf(CpuIdList.parse(text));
    }

    /** Open MPI's hostfile of the attempt, written by the coordinator before the launch. */
    Path hostfile() {
        return dir.resolve("hostfile");
    }

    Path script() {
        return dir.resolve(SCRIPT);
    }

    Path statusFile() {
        return dir.resolve(STATUS);
    }

    /** Taken by whoever starts the attempt first: the wrapper (with its pid) or the runner (see JobWrapper). */
    Path claimFile() {
        return dir.resolve(CLAIM);
    }

    /** Takes the claim for the runner; false if the wrapper took it first, so the job did start. */
    boolean claimUnstarted() throws IOException {
        Path mine = dir.resolve(CLAIM + ".runner");
        Files.writeString(mine, "0\n");
        try {
            Files.createLink(claimFile(), mine);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(mine);
        }
    }

    /**
     * The pid the wrapper wrote into its claim.
     *
     * @throws DamagedRecord when the claim holds no pid
     */
    long claimedPid() throws IOException {
        String text = Files.readString(claimFile());
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new DamagedRecord(claimFile(), text, "a wrapper's pid");
        }
    }

    /**
     * Whether a live process is this attempt's wrapper (and not a later process that reused its pid): its command
     * line names the claim, as an argument of a wrapper the JVM started (JobWrapper) or in the name a wrapper the
     * job launcher forked gives itself before it takes the claim (job-wrapper.pl).
     */
    boolean isWrapper(ProcessHandle h) {
        String commandLine;
        try {
            commandLine = Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
        } catch (IOException e) {
            return false; // ended, or not ours to read
        }
        String claim = claimFile().toString();
        return commandLine.startsWith(WRAPPER_NAME + claim + "\0")
                || Arrays.asList(commandLine.split("\0")).contains(claim);
    }

    /**
     * Whether a live process is this attempt's wrapper: by its command line, or as the process the pid file names,
     * started when it says (to within 2 s).
     */
    boolean isWrapper(ProcessHandle h, Optional<long[]> recorded) {
        return isWrapper(h) || recorded.isPresent() && h.pid() == recorded.get()[0] && h.info().startInstant()
                .map(i -> Math.abs(i.toEpochMilli() - recorded.get()[1]) < 2_000).orElse(false);
    }

    /**
     * The process id and start time in epoch millis that node-runners before the job launcher recorded; the claim
     * now holds the wrapper's pid, and the wrapper's command line tells it from a later process with that pid.
     */
    Optional<long[]> pid() throws IOException {
        Path f = dir.resolve(PID);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        String text = Files.readString(f);
        String[] parts = text.strip().split(" ");
        try {
            if (parts.length >= 2) {
                return Optional.of(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new DamagedRecord(f, text, "a pid and a start time");
    }

    /**
     * The wrapper's record of the script's end ({@link WrapperStatus}: exit, signal, whether anything of the job was
     * left, and what the script used).
     *
     * @throws DamagedRecord when the file holds no such record
     */
    Optional<WrapperStatus> status() throws IOException {
        Path f = statusFile();
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        String text = Files.readString(f);
        Optional<WrapperStatus> status = WrapperStatus.parse(text);
        if (status.isEmpty()) {
            throw new DamagedRecord(f, text, "an exit status");
        }
        return status;
    }

    /**
     * Why the wrapper ran nothing after it took its claim (it could not join the attempt's cgroup), if it said so.
     * Read only when there is no status: a job that ran has one.
     */
    Optional<String> wrapperFailure() throws IOException {
        try {
            String text = Files.readString(dir.resolve(FAILED)).strip();
            return Optional.of(text.isEmpty() ? "the job's wrapper failed before it started the script" : text);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The wrapper's record of the script's end, or why there is none.
     *
     * @param missing when status is empty, the reason, for the attempt's error when nothing else tells its end
     */
    record RecordedEnd(Optional<WrapperStatus> status, String missing) {
    }

    /** The wrapper's record; a damaged one counts as none, and is named as the reason. */
    RecordedEnd recordedEnd() throws IOException {
        try {
            return new RecordedEnd(status(),
                    "the job's processes ended while the node-runner was down and left no exit status");
        } catch (DamagedRecord e) {
            return new RecordedEnd(Optional.empty(), "the job's end is unknown: " + e.getMessage());
        }
    }

    /**
     * Removes the directory and everything in it. Listed rather than walked: a walk reads every entry's attributes,
     * and the removal reads them again, once per job end.
     */
    void delete() throws IOException {
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                try {
                    Files.deleteIfExists(entry); // a symbolic link goes itself, never what it points to
                } catch (DirectoryNotEmptyException e) {
                    deleteTree(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return;
        }
        Files.deleteIfExists(dir);
    }
}
