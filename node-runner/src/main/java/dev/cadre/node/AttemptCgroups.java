package dev.cadre.node;

import dev.cadre.node.core.ProcessTracking;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's cgroups in the cgroup2 hierarchy ({@link ProcessTracking}): one directory for the node, named after its
 * state directory as its runtime directory is, and in it one cgroup per attempt ({@code JOB-ATTEMPT}) and per
 * remote command run for an attempt ({@code JOB-ATTEMPT-exec-N}). The wrapper, or the command's shell, joins its
 * cgroup before it runs anything, so every process the job starts is in it whatever it does with sessions. A job's
 * work here is a mkdir, the wrapper's write of its pid, and an rmdir, which succeeds only once the cgroup is empty.
 */
final class AttemptCgroups {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptCgroups.class);
    /** How often a failed mkdir is tried again: another node of this machine may be removing an empty cadre/. */
    private static final int CREATE_TRIES = 3;

    private final Path nodeGroup;
    private final AtomicLong execs = new AtomicLong();

    AttemptCgroups(Path nodeGroup) {
        this.nodeGroup = nodeGroup;
    }

    Path nodeGroup() {
        return nodeGroup;
    }

    /**
     * The node's tracking as asked for, logged: its cgroups, or empty for sessions.
     *
     * @throws IllegalStateException when cgroups were asked for and cannot be had, naming why
     */
    static Optional<AttemptCgroups> choose(ProcessTracking.Mode requested, Path stateDir) {
        Optional<Path> created = Optional.empty();
        String whyNot = "";
        if (requested != ProcessTracking.Mode.SESSION) {
            List<String> failures = new ArrayList<>();
            Optional<ProcessTracking.Mount> mount = ProcessTracking.cgroup2Mount(read(Path.of("/proc/self/mountinfo")));
            if (mount.isEmpty()) {
                failures.add("no cgroup2 hierarchy is mounted (/proc/self/mountinfo)");
            } else {
                for (Path candidate : ProcessTracking.candidates(mount.get(),
                        ProcessTracking.ownCgroup(read(Path.of("/proc/self/cgroup"))),
                        RuntimeDirectory.nameFor(stateDir))) {
                    Optional<String> problem = makeNodeGroup(candidate);
                    if (problem.isEmpty()) {
                        created = Optional.of(candidate);
                        break;
                    }
                    failures.add(problem.get());
                }
            }
            whyNot = String.join("; ", failures);
        }
        ProcessTracking.Decision decision = ProcessTracking.decide(requested, created, whyNot);
        if (decision instanceof ProcessTracking.ByCgroup c) {
            LOG.info("process tracking: cgroup, attempts' cgroups in {}", c.nodeGroup());
            return Optional.of(new AttemptCgroups(c.nodeGroup()));
        }
        LOG.info("process tracking: session ({})", ((ProcessTracking.BySession) decision).reason());
        return Optional.empty();
    }

    /**
     * For a node that tracks by session: where an earlier runner of it kept its cgroups, if they are still there, so
     * that what is left in them (attempts' and commands' processes) is killed and the directories removed.
     */
    static Optional<AttemptCgroups> former(Path stateDir) {
        Optional<ProcessTracking.Mount> mount = ProcessTracking.cgroup2Mount(read(Path.of("/proc/self/mountinfo")));
        if (mount.isEmpty()) {
            return Optional.empty();
        }
        return ProcessTracking.candidates(mount.get(), ProcessTracking.ownCgroup(read(Path.of("/proc/self/cgroup"))),
                RuntimeDirectory.nameFor(stateDir)).stream().filter(d -> Files.exists(d.resolve("cgroup.procs"))).findFirst().map(AttemptCgroups::new);
    }

    /** Empty once the directory is there and is a cgroup; else what went wrong. */
    private static Optional<String> makeNodeGroup(Path dir) {
        try {
            createDirectories(dir);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot create " + dir + ": " + e);
        }
        if (!Files.exists(dir.resolve("cgroup.procs"))) {
            return Optional.of(dir + " is no cgroup (it has no cgroup.procs)");
        }
        return Optional.empty();
    }

    private static void createDirectories(Path dir) throws IOException {
        for (int tries = 1;; tries++) {
            try {
                Files.createDirectories(dir);
                return;
            } catch (NoSuchFileException raced) {
                if (tries >= CREATE_TRIES) {
                    throw raced;
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** The attempt's cgroup, whether or not it exists. */
    Path attempt(long jobId, int attempt) {
        return nodeGroup.resolve(new ProcessTracking.GroupName(jobId, attempt, ProcessTracking.GroupName.NONE)
                .text());
    }

    /**
     * A cgroup that cannot be made: the node's fault, not the job's, so its attempt is to go elsewhere rather than
     * fail.
     */
    static final class NodeProblem extends IOException {
        NodeProblem(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Creates the attempt's cgroup; one that exists already (a runner stopped between creating it and starting the
     * attempt, which then never started) is taken as it is.
     *
     * @throws NodeProblem naming the path when it cannot be made
     */
    Path createAttempt(long jobId, int attempt) throws NodeProblem {
        Path group = attempt(jobId, attempt);
        create(group);
        return group;
    }

    /** Creates a new cgroup for a remote command of the attempt. */
    Path createExec(long jobId, int attempt) throws NodeProblem {
        for (;;) {
            Path group = nodeGroup.resolve(new ProcessTracking.GroupName(jobId, attempt, execs.getAndIncrement())
                    .text());
            if (create(group)) {
                return group;
            }
            // one an earlier runner made; the next number
        }
    }

    /**
     * Makes the cgroup; false when it exists. The node's own directory may have been removed under the runner (an
     * operator's, or a tidy-up's, rmdir of empty cgroups): it is made again, once, rather than failing every job.
     */
    private boolean create(Path group) throws NodeProblem {
        for (boolean retried = false;; retried = true) {
            try {
                Files.createDirectory(group);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (NoSuchFileException e) {
                Optional<String> problem = retried ? Optional.of(nodeGroup + " was removed again")
                        : makeNodeGroup(nodeGroup);
                if (problem.isPresent()) {
                    throw new NodeProblem("cannot create the cgroup " + group + ": " + e + "; " + problem.get(), e);
                }
                LOG.warn("{} had been removed; made it again", nodeGroup);
            } catch (IOException e) {
                throw new NodeProblem("cannot create the cgroup " + group + ": " + e, e);
            }
        }
    }

    /** A cgroup of this node found in its directory. */
    record Found(Path dir, ProcessTracking.GroupName name) {
    }

    /** The cgroups of this node that it made: those of attempts and of remote commands. */
    List<Found> list() throws IOException {
        List<Found> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(nodeGroup, Files::isDirectory)) {
            for (Path entry : entries) {
                Optional<ProcessTracking.GroupName> name = ProcessTracking.GroupName.parse(entry.getFileName()
                        .toString());
                if (name.isPresent()) {
                    out.add(new Found(entry, name.get()));
                } else {
                    LOG.warn("{}: not a cgroup this node makes; left alone", entry);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    /**
     * The cgroups of attempts this node does not run: removed when empty (the runner stopped between making one and
     * starting its attempt, or before it removed an ended one's), their processes killed on {@code killers}
     * otherwise. Those of remote commands are {@link ExecSessions}'.
     */
    void removeUnknownAttempts(Predicate<ProcessTracking.GroupName> known, Duration grace, Executor killers)
            throws IOException {
        for (Found f : list()) {
            if (f.name().isExec() || known.test(f.name()) || removeIfEmpty(f.dir())) {
                continue;
            }
            LOG.info("{}: processes of an attempt no longer run here; killing them", f.dir());
            JobProcesses left = new JobProcesses.Cgroup(f.dir());
            killers.execute(() -> {
                if (!left.terminate(grace) || !left.removeIfGone()) {
                    LOG.error("{}: processes are left after SIGKILL", f.dir());
                }
            });
        }
    }

    /**
     * At the node's stop, once nothing starts any more: removes the empty cgroups, then the node's directory if that
     * emptied it. What still has processes stays for the next start, and so does, empty or not, the cgroup of an
     * attempt the next start takes up ({@code attemptsKept}: its directory is still there), whose wrapper, forked by
     * the launcher, may not have joined it yet, and would fail its join ('cannot join the cgroup') and run nothing;
     * the next start watches that wrapper, or removes the cgroup with the attempt's end, its counters read first. So
     * does the cgroup of a remote command whose agent is still to be told its exit ({@code commandsKept}: its request
     * is still recorded, {@link ExecRecords#leavesForNextStart}), which ended as the node stopped, its exit not sent:
     * the next start adopts it, tells the agent the exit its wrapper recorded, with the cgroup's counters, and removes
     * it with its attempt's end ({@link LeftoverCommands#adopt}).
     */
    void removeEmpty(Predicate<ProcessTracking.GroupName> attemptsKept,
            Predicate<ProcessTracking.GroupName> commandsKept) {
        try {
            list().stream().filter(f -> !(f.name().isExec() ? commandsKept : attemptsKept).test(f.name()))
                    .forEach(f -> removeIfEmpty(f.dir()));
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", nodeGroup, e.toString());
        }
        removeNodeGroupIfEmpty();
    }

    /** Removes the node's directory if nothing is left in it, and an emptied cadre/ above it. */
    void removeNodeGroupIfEmpty() {
        Path parent = nodeGroup.getParent();
        if (removeIfEmpty(nodeGroup) && parent != null && parent.getFileName().toString().equals("cadre")) {
            removeIfEmpty(parent);
        }
    }

    /** Whether any process is in the cgroup (cgroup.events); false when it is gone. */
    static boolean populated(Path group) {
        try {
            return Files.readString(group.resolve("cgroup.events"), StandardCharsets.ISO_8859_1)
                    .contains("populated 1");
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + group.resolve("cgroup.events") + ": " + e, e);
        }
    }

    /** The processes in the cgroup now. */
    static List<Long> members(Path group) {
        try {
            return Files.readString(group.resolve("cgroup.procs"), StandardCharsets.ISO_8859_1).lines()
                    .map(String::strip).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + group.resolve("cgroup.procs") + ": " + e, e);
        }
    }

    /**
     * Removes the cgroup once it is empty, which the kernel alone can tell: rmdir fails while a process is in it.
     *
     * @return whether it is gone (removed now, or before)
     */
    static boolean removeIfEmpty(Path group) {
        try {
            Files.deleteIfExists(group);
            return true;
        } catch (IOException busy) {
            return false;
        }
    }
}
