package dev.cadre.client;

import dev.cadre.broker.ClientFile;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.ShellWord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs commands as Cadre jobs, in the manner of an {@code ExecutorService} (and of Parsl's FluxExecutor): each
 * {@link #submit} returns a future of the job's result. Cancelling a future cancels its job. A job that exits
 * non-zero completes its future normally, with state FAILED and the exit code. Thread-safe.
 *
 * <p>The command is the job's batch script ({@code exec} of the quoted words under {@code /bin/sh}), run once
 * with the resources as its allocation, as sbatch runs a script.
 */
public final class CadreExecutor implements AutoCloseable {
    /**
     * @param workDir the jobs' working directory
     * @param environment the jobs' environment
     * @param stdout output path pattern (%j is the job id), or null for slurm-%j.out in the working directory
     */
    public record Settings(Path workDir, Map<String, String> environment, String stdout) {
        public Settings {
            workDir = workDir.toAbsolutePath();
            environment = Map.copyOf(environment);
        }

        /** The current directory and this process's environment, as Parsl's FluxExecutor and sbatch pass them. */
        public static Settings defaults() {
            return new Settings(Path.of(""), passedOn(System.getenv()), null);
        }

        /**
         * What of a process's environment a job can take, as sbatch passes it: bash's exported functions
         * (BASH_FUNC_module%%) and names such as A-B too; only a name the head would refuse (longer than it keeps)
         * is left out, as it would get the whole job refused.
         */
        static Map<String, String> passedOn(Map<String, String> env) {
            return env.entrySet().stream().filter(e -> JobSpecValidator.isEnvironmentName(e.getKey())
                    && e.getValue().indexOf('\0') < 0)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }

        public Settings withWorkDir(Path dir) {
            return new Settings(dir, environment, stdout);
        }

        public Settings withStdout(String pattern) {
            return new Settings(workDir, environment, pattern);
        }
    }

    private final CadreClient client;
    private final boolean ownsClient;
    private final Settings settings;
    private final Set<CompletableFuture<JobResult>> outstanding = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private boolean shutdown;
    /** Set by shutdownNow or close: what they did to the outstanding futures, a submit racing them does to its own. */
    private boolean cancelAll;
    private boolean closed;
    /** Submits past the shutdown check whose futures are not in {@link #outstanding} yet. */
    private int submitting;

    /** Uses the client, which stays open when this executor closes. */
    public CadreExecutor(CadreClient client, Settings settings) {
        this(client, settings, false);
    }

    private CadreExecutor(CadreClient client, Settings settings, boolean ownsClient) {
        this.client = client;
        this.settings = settings;
        this.ownsClient = ownsClient;
    }

    /** Connects its own client with the client file at the path; closing the executor closes it. */
    public static CadreExecutor connect(Path clientFile) throws CadreException {
        return connect(clientFile, ClientSettings.defaults());
    }

    /** As {@link #connect(Path)}, with the client's settings (its {@code replyTimeout}, say). */
    public static CadreExecutor connect(Path clientFile, ClientSettings clientSettings) throws CadreException {
        return connect(clientFile, clientSettings, Settings.defaults());
    }

    /** As {@link #connect(Path)}, with the client's settings and the executor's. */
    public static CadreExecutor connect(Path clientFile, ClientSettings clientSettings, Settings settings)
            throws CadreException {
        ClientFile file;
        try {
            file = ClientFile.read(clientFile);
        } catch (IOException e) {
            throw new CadreException(e.getMessage(), e);
        }
        return new CadreExecutor(CadreClient.connect(file, clientSettings), settings, true);
    }

    public CompletableFuture<JobResult> submit(List<String> command) {
        return submit(command, ResourceSpec.DEFAULT);
    }

    /** Parsl style: the resource specification as a map of num_tasks, cores_per_task, gpus_per_task, num_nodes. */
    public CompletableFuture<JobResult> submit(List<String> command, Map<String, ?> resourceSpecification) {
        return submit(command, ResourceSpec.fromMap(resourceSpecification));
    }

    /**
     * Submits the command as a job. Returns without waiting for the broker, as {@link CadreClient#submit} does.
     *
     * @throws RejectedExecutionException after shutdown, or when the client is closed
     */
    public CompletableFuture<JobResult> submit(List<String> command, ResourceSpec resources) {
        JobSpec spec = resources.applyTo(JobSpec.builder().name(jobName(command)).script(script(command))
                .workDir(settings.workDir().toString()).environment(settings.environment()).stdout(settings.stdout()))
                .build();
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("the executor is shut down");
            }
            submitting++;
        }
        // Outside the lock: shutdown, isShutdown and the results' callbacks on the client's event thread need it.
        CompletableFuture<JobResult> result = null;
        try {
            result = client.submit(spec).result();
        } catch (CadreException e) {
            throw new RejectedExecutionException(e.getMessage(), e);
        } finally {
            synchronized (lock) {
                submitting--;
                if (result != null) {
                    track(result);
                }
                lock.notifyAll();
            }
        }
        return result;
    }

    /** Under the lock. A task accepted before shutdownNow or close whose future came after them gets the same. */
    private void track(CompletableFuture<JobResult> result) {
        outstanding.add(result);
        result.whenComplete((r, e) -> {
            synchronized (lock) {
                outstanding.remove(result);
                lock.notifyAll();
            }
        });
        if (cancelAll) {
            result.cancel(true);
        } else if (closed) {
            result.completeExceptionally(closedBeforeEnd());
        }
    }

    private static CadreException closedBeforeEnd() {
        return new CadreException("the executor was closed before this job ended; the job goes on in Cadre");
    }

    /** A batch script that replaces the shell with the command, each word quoted so the shell changes none. */
    static String script(List<String> command) {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("command must be a non-empty list");
        }
        StringBuilder b = new StringBuilder("#!/bin/sh\nexec");
        for (String word : command) {
            if (word == null || word.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("command words must be strings without NUL characters");
            }
            b.append(' ').append(ShellWord.quote(word));
        }
        return b.append('\n').toString();
    }

    private static String jobName(List<String> command) {
        String first = command == null || command.isEmpty() || command.get(0) == null ? "" : command.get(0);
        String base = first.substring(first.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "");
        return base.length() > 64 ? base.substring(0, 64) : base;
    }

    /** Accepts no more submissions; submitted jobs run on. */
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
            lock.notifyAll();
        }
    }

    /**
     * Accepts no more submissions and cancels every job not yet ended. Returns the cancelled futures; a submit under
     * way at this moment cancels its own as soon as it has it. The cancels go out even when {@link #close()} follows
     * at once: closing the client sends them first (see {@link CadreClient#close()}).
     */
    public List<Future<JobResult>> shutdownNow() {
        List<Future<JobResult>> cancelled = new ArrayList<>();
        synchronized (lock) {
            shutdown = true;
            cancelAll = true;
            for (CompletableFuture<JobResult> f : List.copyOf(outstanding)) {
                if (f.cancel(true)) {
                    cancelled.add(f);
                }
            }
            lock.notifyAll();
        }
        return cancelled;
    }

    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    /** True once shut down and every submitted job has ended. */
    public boolean isTerminated() {
        synchronized (lock) {
            return terminated();
        }
    }

    /** Waits until {@link #isTerminated()} or the timeout; returns which. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!terminated()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    private boolean terminated() {
        return shutdown && submitting == 0 && outstanding.isEmpty();
    }

    /**
     * Shuts down and fails every future not yet done (their jobs go on in Cadre); closes the client if this
     * executor opened it.
     */
    @Override
    public void close() {
        List<CompletableFuture<JobResult>> left;
        synchronized (lock) {
            shutdown = true;
            closed = true;
            left = List.copyOf(outstanding);
        }
        for (CompletableFuture<JobResult> f : left) {
            f.completeExceptionally(closedBeforeEnd());
        }
        if (ownsClient) {
            client.close();
        }
    }
}
