package dev.cadre.node;

import dev.cadre.node.core.LaunchPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts attempts' wrappers: through the node's {@link JobLauncher}, started on first use and again after it is
 * lost, or, while no launcher can be had, as a process of its own ({@link JobWrapper}), as before the launcher.
 *
 * <p>A launcher lost while a request was out may or may not have forked its wrapper. Its wrappers take their
 * claims before they let go of its pipe, so once that pipe has ended the attempt's claim says which: taken, the
 * wrapper runs and is watched by its pid; free, nothing started and the attempt starts as a process of its own.
 * A launcher that cannot be started is tried again after {@link #RETRY_AFTER}, not for every job.
 */
final class JobStarter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobStarter.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    /**
     * A running wrapper: its pid (the job's session and process group) and when it started.
     *
     * @param end completes when the wrapper has ended, with its exit value as {@link Process#exitValue()} gives it,
     *     or null when only its status file can tell (it was watched by pid)
     */
    record Started(long pid, Instant at, CompletableFuture<Integer> end) {
    }

    private final JobLauncher.Setup setup;
    private final Path log;
    private final Clock clock;
    private JobLauncher launcher;
    private Instant retryAt = Instant.MIN;
    private boolean closed;

    /** @param log where launchers write what goes wrong in them */
    JobStarter(JobLauncher.Setup setup, Path log, Clock clock) {
        this.setup = setup;
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param cgroup the cgroup the wrapper joins before it runs anything; null for none
     * @param cpus the CPUs the wrapper binds itself to before it takes its claim; empty for none
     * @throws IOException when nothing was started, with the reason; or when a lost launcher leaves it unknown
     *     whether the attempt started (the caller's removing the attempt directory stops a late wrapper's claim)
     */
    Started start(AttemptDirectory dir, LaunchPlan plan, Path cgroup, Set<Integer> cpus) throws IOException {
        JobLauncher l = launcher();
        if (l != null) {
            try {
                JobLauncher.Launched launched = l.launch(dir, plan, cgroup, cpus);
                return new Started(launched.pid(), clock.instant(), launched.end().thenCompose(exit -> exit.isPresent()
                        ? CompletableFuture.completedFuture(exit.getAsInt()) : watch(launched.pid(), dir)));
            } catch (JobLauncher.Lost e) {
                LOG.warn("{}: {}", dir.dir().getFileName(), e.getMessage());
                if (Files.exists(dir.claimFile())) {
                    long pid = dir.claimedPid();
                    LOG.info("{}: its wrapper {} runs; watching it", dir.dir().getFileName(), pid);
                    return new Started(pid, clock.instant(), watch(pid, dir));
                }
                if (!e.settled) {
                    throw new IOException(e.getMessage() + "; it is unknown whether the job started");
                }
            }
        }
        return startAlone(dir, plan, cgroup, cpus);
    }

    /** The old way: a JVM-started perl wrapper for this attempt alone. */
    private Started startAlone(AttemptDirectory dir, LaunchPlan plan, Path cgroup, Set<Integer> cpus)
            throws IOException {
        Process process;
        try {
            process = JobWrapper.processBuilder(dir, plan, cgroup, cpus).start();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        Instant at = process.toHandle().info().startInstant().orElse(clock.instant());
        return new Started(process.pid(), at, process.onExit().thenApply(Process::exitValue));
    }

    /** The live launcher: this one, a new one for a lost one, or null while none can be started. */
    private synchronized JobLauncher launcher() {
        if (closed) {
            return null;
        }
        if (launcher != null && !launcher.lost()) {
            return launcher;
        }
        launcher = null;
        if (clock.instant().isBefore(retryAt)) {
            return null;
        }
        try {
            launcher = JobLauncher.start(setup, log);
        } catch (IOException e) {
            retryAt = clock.instant().plus(RETRY_AFTER);
            LOG.error("cannot start the job launcher ({}); jobs start as processes of their own until {}",
                    e.getMessage(), retryAt);
        }
        return launcher;
    }

    /**
     * Completes (with null) when the attempt's wrapper, not reported by a launcher, has ended; at once if the pid
     * is no longer the wrapper's.
     */
    static CompletableFuture<Integer> watch(long pid, AttemptDirectory dir) {
        return ProcessHandle.of(pid).filter(dir::isWrapper).map(h -> h.onExit().thenApply(x -> (Integer) null))
                .orElse(CompletableFuture.completedFuture(null));
    }

    /** For tests: the current launcher's pid, if one runs. */
    synchronized OptionalInt launcherPid() {
        return launcher == null || launcher.lost() ? OptionalInt.empty() : OptionalInt.of((int) launcher.pid());
    }

    /** Lets the launcher finish its wrappers on its own: their ends are no longer reported. */
    @Override
    public synchronized void close() {
        closed = true;
        if (launcher != null) {
            launcher.close();
        }
    }
}
