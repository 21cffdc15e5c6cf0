package dev.cadre.node;

import dev.cadre.node.core.AttemptUsage;
import dev.cadre.node.core.CommandStatus;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.ResourceUsage;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One remote command: {@code bash -c COMMAND} under its wrapper ({@link CommandWrapper}), the leader of its own
 * session and process group, its output streamed as it comes (from the named pipes its wrapper moves it onto, which
 * outlive this runner: {@link OutputPump}), and its end reported once the wrapper has exited with
 * bash's status and both streams are drained (a background child holding them keeps it running, as with ssh).
 * Killing it reaches every process of its session, or, where the node tracks processes by cgroup, of the cgroup the
 * wrapper joined before bash started.
 */
final class ExecRun {
    /** Where the run's answers go, in order. */
    interface Replies {
        /** @return whether it went out: false when the broker did not take it (the runner stops, or it is away) */
        boolean send(ExecMessage message);
    }

    /** What a {@link CommandWrapper#gated} wrapper waits for before it runs the command. */
    static final String GO = "go";
    /** How long the shell may take to join its cgroup. */
    private static final Duration JOIN_WAIT = Duration.ofSeconds(10);
    private final ExecMessage.ExecRequest request;
    private final Process process;
    private final JobProcesses processes;
    private final Replies replies;
    /** Where its wrapper records its status and CPU time ({@link CommandWrapper}); null for nowhere. */
    private final Path statusFile;
    /** Its standard input, for a request that asked for input, once reported; else null (/dev/null). */
    private volatile ExecInput input;
    /** Its stdout's and stderr's, once reported. */
    private volatile List<OutputPump> pumps = List.of();
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile int killedWith;

    private ExecRun(ExecMessage.ExecRequest request, Process process, Replies replies, Path cgroup,
            Path statusFile) {
        this.request = request;
        this.process = process;
        this.replies = replies;
        this.statusFile = statusFile;
        // The wrapper is this JVM's child, so its pid is not reused before the JDK reaps it: identified now, it is
        // the wrapper's.
        this.processes = cgroup == null ? new JobProcesses.Session(JobProcesses.Leader.identify(process.pid()))
                : new JobProcesses.Cgroup(cgroup);
    }

    /**
     * Starts the command, its exit status recorded nowhere but in its exit; nothing is reported until {@link #report},
     * so the caller can list the run first.
     */
    static ExecRun start(ExecMessage.ExecRequest request, Path workDir, Map<String, String> environment,
            Replies replies) throws IOException {
        return start(request, workDir, environment, replies, null, null, Duration.ZERO);
    }

    /**
     * The same, in the cgroup (null for none), which it joins before bash runs, under the wrapper that records its
     * exit status ({@link CommandWrapper}).
     *
     * @param exitStem where the wrapper records it ({@link ExecRecords#exitStem}), null for nowhere
     * @param readerWait how long, at most, its wrapper waits at its end for a runner to read the rest of its output
     *     ({@link CommandWrapper#commandLine})
     */
    static ExecRun start(ExecMessage.ExecRequest request, Path workDir, Map<String, String> environment,
            Replies replies, Path cgroup, Path exitStem, Duration readerWait) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(CommandWrapper.commandLine(request.command(), cgroup, exitStem,
                request.takesInput(), readerWait));
        pb.directory((workDir != null && Files.isDirectory(workDir) ? workDir : Path.of("/")).toFile());
        pb.environment().putAll(environment);
        if (!CommandWrapper.gated(cgroup, exitStem) && !request.takesInput()) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = pb.start();
        if (cgroup != null) {
            awaitJoined(process, cgroup);
        }
        // The session's wrapper names its status file by its pid, the sh's the JVM started (setsid does not fork).
        Path statusFile = exitStem == null ? null : Path.of(exitStem + (cgroup != null ? "" : Long.toString(
                process.pid())) + CommandWrapper.EXIT);
        return new ExecRun(request, process, replies, cgroup, statusFile);
    }

    /**
     * Until the shell is in its cgroup (or has ended, having failed to join): a kill in between would find the cgroup
     * empty, take the command for gone, and leave it to run on once it joined.
     */
    private static void awaitJoined(Process process, Path cgroup) throws IOException {
        long deadline = System.nanoTime() + JOIN_WAIT.toNanos();
        while (process.isAlive() && !AttemptCgroups.members(cgroup).contains(process.pid())) {
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new IOException("the command's shell did not join its cgroup " + cgroup + " within "
                        + JOIN_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted while the command's shell joined its cgroup " + cgroup, e);
            }
        }
    }

    /**
     * Lets a {@link CommandWrapper#gated} wrapper run the command, once the run is recorded.
     *
     * @throws IOException when the wrapper is gone (killed meanwhile): the command will not run
     */
    void proceed() throws IOException {
        var stdin = process.getOutputStream();
        stdin.write((GO + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (request.takesInput()) {
            // The rest of the pipe is the command's input (the wrapper's read takes its line alone).
            stdin.flush();
        } else {
            stdin.close();
        }
    }

    /**
     * Reports the start, streams the output, and reports the exit once the wrapper has exited and both streams are
     * drained. Nothing waits for that: a wait in a completion stage of {@link Process#onExit} would hold a thread of
     * the common ForkJoin pool (where the machine has 3 or more cores) for as long as a background child keeps the
     * pipes open, and starve everything else that runs there.
     *
     * @param exits where the exit is reported: a thread of the caller's, since a reply may wait for the broker
     */
    void report(Executor exits) {
        if (request.takesInput()) {
            input = ExecInput.start(request.requestId(), process.getOutputStream(), replies);
        }
        replies.send(new ExecMessage.ExecStarted(request.requestId(), process.pid(), request.takesInput()));
        OutputPump stdout = pump(process.getInputStream(), "stdout", CommandWrapper.STDOUT);
        OutputPump stderr = pump(process.getErrorStream(), "stderr", CommandWrapper.STDERR);
        pumps = List.of(stdout, stderr);
        // Output written just before the exit must go out before the exit itself.
        CompletableFuture.allOf(process.onExit(), stdout.drained(), stderr.drained()).thenRunAsync(this::finish,
                exits);
    }

    /**
     * Reads no more of its output, nor reports its exit: the runner stops, and leaves the command to the next one,
     * which reads its output from its named pipes ({@link CommandWrapper#outputPipe}) from where this one stopped.
     */
    void leave() {
        pumps.forEach(OutputPump::stop);
    }

    String requestId() {
        return request.requestId();
    }

    long jobId() {
        return request.jobId();
    }

    int attempt() {
        return request.attempt();
    }

    /**
     * One piece of its input, taken or refused without waiting ({@link ExecInput}).
     *
     * @return false when the command's input is /dev/null (its request asked for none)
     */
    boolean offer(ExecMessage.ExecInput piece) {
        ExecInput in = input;
        if (in == null) {
            return false;
        }
        in.offer(piece);
        return true;
    }

    /** Closes its input: another relay resumed the run, which cannot send what the earlier one left (§13.9). */
    void closeInput() {
        ExecInput in = input;
        if (in != null) {
            in.stop();
        }
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    boolean silentFor(Duration d) {
        return System.nanoTime() - lastHeardNanos > d.toNanos();
    }

    /** The wrapper's, which is also its session and process group id. */
    long pid() {
        return process.pid();
    }

    /** Its session (the wrapper's pid is its id), or its cgroup. */
    JobProcesses processes() {
        return processes;
    }

    /**
     * SIGTERM to the session and group (or the cgroup), SIGKILL after the grace period; blocks up to the grace
     * period. All of them, since bash may have ended and left a background child that holds the run's pipes.
     */
    void kill(Duration grace) {
        kill(grace, false);
    }

    /** @param suspended SIGCONT after the SIGTERM ({@link JobProcesses#terminate(Duration, boolean)}) */
    void kill(Duration grace, boolean suspended) {
        killedWith = 15;
        processes.terminate(grace, suspended);
    }

    /**
     * For a run never reported, as when it could not be recorded: kills it and closes the pipes nobody reads. Stdin
     * first: a {@link CommandWrapper#gated} wrapper still waiting for its word then ends at once, running nothing; a
     * kill would not reach it before the grace period, as it leads no session yet.
     */
    void discard(Duration grace) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // closed already
        }
        kill(grace);
        for (Closeable pipe : new Closeable[] {process.getInputStream(), process.getErrorStream()}) {
            try {
                pipe.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    /** The stream's pump: the wrapper's pipe, then its named pipe where it records its status. */
    private OutputPump pump(InputStream in, String stream, String suffix) {
        return OutputPump.start(in, statusFile == null ? null : CommandWrapper.outputPipe(statusFile, suffix),
                chunk -> replies.send(new ExecMessage.ExecOutput(request.requestId(), stream,
                        Base64.getEncoder().encodeToString(chunk))), "cadre-exec-" + stream);
    }

    /**
     * Reports the exit with what the command used: read now, once the wrapper has ended (its status file is whole)
     * and before the exit is passed on, after which its records and cgroup go ({@link ExecSessions}).
     */
    private void finish() {
        closeInput();
        int code = process.exitValue();
        int signal = code > 128 && code < 160 && killedWith != 0 ? code - 128 : 0;
        CommandStatus status = statusFile == null ? null : ExecRecords.readStatus(statusFile).orElse(null);
        replies.send(new ExecMessage.ExecExit(request.requestId(), code, signal, null, null,
                usage(processes, status)));
    }

    /**
     * What an ended command used, as its exit reports it (protocol.md 13.7): its cgroup's counters, CPU time of every
     * process of it and the memory peak where the kernel keeps one, with the CPU time its wrapper recorded standing
     * in for what the cgroup lacks, or for the cgroup a command tracked by session has not; null when nothing tells.
     * What the command left running after its exit is counted only up to then.
     *
     * @param status what its wrapper recorded; null when it recorded nothing (killed with SIGKILL)
     */
    static ResourceUsage usage(JobProcesses processes, CommandStatus status) {
        ResourceUsage counted = processes instanceof JobProcesses.Cgroup c ? c.usage() : null;
        return AttemptUsage.reported(counted, status == null ? null : status.usage());
    }
}
