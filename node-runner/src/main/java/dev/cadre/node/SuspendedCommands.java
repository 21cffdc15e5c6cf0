package dev.cadre.node;

import dev.cadre.node.core.CommandSuspension;
import dev.cadre.protocol.RunnerEvent.RunningAttempt;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts whose remote commands are suspended on this node ({@link ExecSessions#suspend}), each marked by a file
 * in the exec service's directory ({@link CommandSuspension}): a runner started again after a kill -9 while they are
 * suspended reads the marks, so their commands stay stopped (and are stopped again, should the last runner have died
 * between its mark and its signals), a resume continues them, and a kill continues them after its SIGTERM.
 */
final class SuspendedCommands {
    private static final Logger LOG = LoggerFactory.getLogger(SuspendedCommands.class);
    /** How long a command's wrapper may take to lead its session: milliseconds, on a loaded node. */
    private static final Duration SESSION_WAIT = Duration.ofSeconds(10);
    private final Path dir;
    private final Set<RunningAttempt> marked = ConcurrentHashMap.newKeySet();

    /** @param dir the exec records' directory, which exists */
    SuspendedCommands(Path dir) {
        this.dir = dir;
    }

    boolean contains(long jobId, int attempt) {
        return marked.contains(new RunningAttempt(jobId, attempt));
    }

    /**
     * scontrol suspend (stop) or resume of the attempt's commands here, as {@link CommandSuspension#step} decides;
     * called from the node's command thread alone.
     *
     * @param processes where every process of the attempt's commands here is now
     * @return the processes signalled
     * @throws IOException when the mark cannot be written or removed: the command is to be redelivered, and the step
     *     taken again
     */
    synchronized List<Long> apply(long jobId, int attempt, boolean stop, Supplier<List<JobProcesses>> processes)
            throws IOException {
        Path mark = dir.resolve(CommandSuspension.fileName(jobId, attempt));
        List<Long> signalled = new ArrayList<>();
        switch (CommandSuspension.step(stop, contains(jobId, attempt))) {
            case MARK_THEN_STOP:
                Files.writeString(mark, "");
                marked.add(new RunningAttempt(jobId, attempt));
                processes.get().forEach(p -> signalled.addAll(AttemptSuspension.stop(p, 0)));
                break;
            case STOP_AGAIN:
                processes.get().forEach(p -> signalled.addAll(AttemptSuspension.stop(p, 0)));
                break;
            case CONTINUE_THEN_UNMARK:
                processes.get().forEach(p -> signalled.addAll(AttemptSuspension.proceed(p, 0)));
                Files.deleteIfExists(mark);
                marked.remove(new RunningAttempt(jobId, attempt));
                break;
            default:
                break;
        }
        return signalled;
    }

    /**
     * Lists a command just started ({@code list}), and stops it if its attempt is marked suspended, both under the
     * lock {@link #apply} holds: a suspend that came while its request was on its way, or while it started, either
     * finds it listed and stops it, or marked the attempt before this looks, and this stops it. A command tracked by
     * session is stopped once its wrapper leads its session (its setsid comes right after the start), since the
     * signals go to the session: a stop before it would miss the command. It may run for those milliseconds.
     */
    synchronized void started(long jobId, int attempt, Runnable list, JobProcesses processes) {
        list.run();
        if (contains(jobId, attempt)) {
            LOG.info("job {} attempt {}: a remote command started while it is suspended here; stopping it", jobId,
                    attempt);
            if (processes instanceof JobProcesses.Session session) {
                awaitLeading(session);
            }
            AttemptSuspension.stop(processes, 0);
        }
    }

    /** Until the session's wrapper leads it, or has ended; at most {@link #SESSION_WAIT}. */
    private static void awaitLeading(JobProcesses.Session session) {
        Path proc = Path.of("/proc", Long.toString(session.id()));
        long deadline = System.nanoTime() + SESSION_WAIT.toNanos();
        while (System.nanoTime() - deadline < 0 && session.alive()) {
            String[] stat = ProcessGroups.statFields(proc, 5);
            if (stat.length <= 3 || stat[0].equals("Z") || Long.parseLong(stat[3]) == session.id()) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The attempt's commands here are gone (killed, continued after their SIGTERM): its mark goes. */
    synchronized void forget(long jobId, int attempt) {
        try {
            Files.deleteIfExists(dir.resolve(CommandSuspension.fileName(jobId, attempt)));
        } catch (IOException e) {
            LOG.warn("job {} attempt {}: cannot remove the mark of its suspended commands here ({}); the next runner"
                    + " removes it", jobId, attempt, e.toString());
        }
        marked.remove(new RunningAttempt(jobId, attempt));
    }

    /**
     * Reads the marks an earlier runner left, before anything can release an attempt, and stops the commands of each
     * attempt marked again: that runner may have died between its mark and its signals.
     *
     * @param processes where every process of an attempt's commands here is now
     * @return the attempts marked
     */
    synchronized Set<RunningAttempt> adopt(Function<RunningAttempt, List<JobProcesses>> processes)
            throws IOException {
        try (DirectoryStream<Path> marks = Files.newDirectoryStream(dir, "*" + CommandSuspension.SUFFIX)) {
            for (Path f : marks) {
                Optional<RunningAttempt> key = CommandSuspension.parse(f.getFileName().toString())
                        .map(n -> new RunningAttempt(n.jobId(), n.attempt()));
                if (key.isPresent()) {
                    marked.add(key.get());
                } else {
                    LOG.warn("{}: not a mark of suspended commands; left alone", f);
                }
            }
        }
        marked.forEach(a -> processes.apply(a).forEach(p -> AttemptSuspension.stop(p, 0)));
        return Set.copyOf(marked);
    }

    /** Removes the marks of attempts no longer held here: they ended while no runner ran. */
    synchronized void forgetUnless(Predicate<RunningAttempt> held) {
        List.copyOf(marked).stream().filter(held.negate()).forEach(a -> forget(a.jobId(), a.attempt()));
    }
}
