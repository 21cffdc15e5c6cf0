package dev.cadre.node;

import dev.cadre.node.core.CpuList;
import dev.cadre.node.core.LaunchPlan;
import dev.cadre.node.core.LauncherWire;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-runner's side of its job launcher: one long-lived process (compiled from job-launcher.c, or
 * job-launcher.pl where no build runs here: {@link LauncherProgram}) that forks itself into each attempt's wrapper,
 * so a job costs no exec of a wrapper and no Java process. Requests go
 * down its stdin ({@link LauncherWire}); a thread reads its answers ({@link LauncherAnswers}): each wrapper's pid,
 * and each wrapper's end, which the launcher reaps.
 *
 * <p>The launcher is lost when its stdout reaches its end (it died, or was sent what it could not read). Its
 * wrappers take their claims before they let go of that pipe, so from then on the claim files tell which
 * requests were started. Ends not yet reported are then reported as unknown; the wrappers run on and still
 * record their status files, which is what {@link JobStarter} then watches.
 */
final class JobLauncher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);

    /**
     * @param perl the interpreter to run the perl launcher with
     * @param answerTimeout how long a request or the start may go unanswered before the launcher is given up for
     *     hung (and killed); also how long its wrappers then get to let go of its pipe
     * @param compiled whether to start the compiled launcher where the jar holds one ({@link LauncherProgram}),
     *     the perl one only where it does not or it fails to start
     */
    record Setup(String perl, Duration answerTimeout, boolean compiled) {
        static final Setup DEFAULT = new Setup("perl", Duration.ofSeconds(10), true);

        /** The perl launcher only. */
        static Setup perlOnly(String perl, Duration answerTimeout) {
            return new Setup(perl, answerTimeout, false);
        }

        Setup answeringWithin(Duration timeout) {
            return new Setup(perl, timeout, compiled);
        }
    }

    /** A started wrapper: its pid, and its exit value once the launcher reaped it (empty if the launcher was lost). */
    record Launched(long pid, CompletableFuture<OptionalInt> end) {
    }

    /** The launcher said no: nothing was started (an output file that cannot be opened, a failed fork). */
    static final class Refused extends IOException {
        Refused(String reason) {
            super(reason);
        }
    }

    /**
     * The launcher is gone or hung, so the request may or may not have been started.
     *
     * @param settled whether every wrapper the launcher forked has taken its claim or ended by now, so that the
     *     attempt's claim file tells whether this request started
     */
    static final class Lost extends IOException {
        final boolean settled;

        Lost(String message, boolean settled) {
            super(message);
            this.settled = settled;
        }
    }

    private final Process process;
    private final OutputStream requests;
    private final Duration answerTimeout;
    private final AtomicLong ids = new AtomicLong();
    private final LauncherAnswers answers;

    private JobLauncher(Process process, Duration answerTimeout) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.answerTimeout = answerTimeout;
        this.answers = new LauncherAnswers(process);
    }

    /**
     * Starts a launcher and waits for it to take requests: the compiled one if the setup allows and the jar holds
     * one (written into {@code log}'s directory), else or if it fails to start, the perl one. Its stderr goes to
     * {@code log}: it outlives this JVM, so it must hold none of its pipes but ours. Its environment is empty but
     * for PATH: each wrapper sets its job's own, and nothing such as PERL5OPT of the node-runner's reaches it.
     */
    static JobLauncher start(Setup setup, Path log) throws IOException {
        if (setup.compiled()) {
            try {
                Optional<List<String>> compiled = LauncherProgram.compiled(log.toAbsolutePath().getParent()
                        .resolve("bin"));
                if (compiled.isPresent()) {
                    return start(compiled.get(), setup, log);
                }
            } catch (IOException e) {
                LOG.warn("the compiled job launcher did not start ({}); starting the perl one", e.getMessage());
            }
        }
        return start(LauncherProgram.perl(setup.perl()), setup, log);
    }

    private static JobLauncher start(List<String> command, Setup setup, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        JobLauncher launcher = new JobLauncher(spawn(pb), setup.answerTimeout());
        Thread reader = new Thread(launcher.answers::read, "cadre-job-launcher-" + launcher.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            launcher.answers.ready().get(setup.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            launcher.process.destroyForcibly();
            throw new IOException("the job launcher " + command.get(0) + " did not start (see " + log + ")");
        } catch (InterruptedException e) {
            launcher.process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the job launcher started");
        }
        LOG.info("job launcher {} ({}) started", launcher.pid(), command.get(0));
        return launcher;
    }

    /**
     * A program just written may be held open for writing, for a moment, by a process another thread forks
     * meanwhile (exec then fails with ETXTBSY, "Text file busy"): tried again for up to a second.
     */
    private static Process spawn(ProcessBuilder pb) throws IOException {
        for (int tries = 0;; tries++) {
            try {
                return pb.start();
            } catch (IOException e) {
                if (tries >= 50 || e.getMessage() == null || !e.getMessage().contains("error=26,")) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the job launcher started");
            }
        }
    }

    long pid() {
        return process.pid();
    }

    /** Whether the launcher's answers have ended: it takes no more requests. */
    boolean lost() {
        return answers.gone().isDone();
    }

    /** Has the launcher fork the wrapper of one attempt, and waits for its pid. */
    Launched launch(AttemptDirectory dir, LaunchPlan plan) throws IOException {
        return launch(dir, plan, null, Set.of());
    }

    /**
     * The same, its wrapper bound to the CPUs (none when empty) before it takes its claim, and joining the cgroup
     * (null for none) before it runs anything.
     */
    Launched launch(AttemptDirectory dir, LaunchPlan plan, Path cgroup, Set<Integer> cpus) throws IOException {
        long id = ids.incrementAndGet();
        byte[] request;
        try {
            request = new LauncherWire.Launch(id, dir.statusFile(), dir.claimFile(), plan.workDir(), plan.stdin(),
                    plan.stdout(), plan.stderr(), plan.append(), plan.environment(), JobWrapper.script(dir, plan),
                    cgroup, CpuList.wire(cpus)).encode();
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
        CompletableFuture<Launched> answer = answers.expect(id);
        try {
            if (lost()) {
                throw lostNow("the job launcher " + pid() + " is gone");
            }
            try {
                synchronized (requests) {
                    requests.write(request);
                    requests.flush();
                }
            } catch (IOException e) {
                throw lostNow("the job launcher " + pid() + " takes no requests: " + e.getMessage());
            }
            return answer.get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Refused refused) {
                throw refused;
            }
            throw lostNow("the job launcher " + pid() + " ended before it answered");
        } catch (TimeoutException e) {
            LOG.warn("job launcher {} did not answer within {}; killing it", pid(), answerTimeout);
            process.destroyForcibly();
            throw lostNow("the job launcher " + pid() + " did not answer within " + answerTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Lost("interrupted while waiting for the job launcher", false);
        } finally {
            answers.forget(id);
        }
    }

    /** Waits (bounded) for the launcher's answers to end, so that the claims tell what it started. */
    private Lost lostNow(String message) {
        try {
            answers.gone().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Lost(message, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lost(message, false);
        } catch (ExecutionException | TimeoutException e) {
            return new Lost(message + "; a wrapper it forked still holds its pipe", false);
        }
    }

    /**
     * Stops sending requests: the launcher lets its wrappers finish and exits after the last. Their ends are no
     * longer reported here; the reader drains the launcher's answers until then, so it never blocks on them.
     */
    @Override
    public void close() {
        answers.close();
        try {
            requests.close();
        } catch (IOException e) {
            LOG.debug("job launcher {}: {}", pid(), e.toString());
        }
    }
}
