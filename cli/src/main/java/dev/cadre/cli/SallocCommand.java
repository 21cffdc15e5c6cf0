package dev.cadre.cli;

import dev.cadre.cli.slurm.AllocationHold;
import dev.cadre.cli.slurm.ImmediateAllocation;
import dev.cadre.cli.slurm.JobEnd;
import dev.cadre.cli.slurm.SallocCommandLine;
import dev.cadre.cli.slurm.SbatchCommandLine;
import dev.cadre.cli.slurm.SbatchRequest;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SrunScheduling;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.ShellWord;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * salloc: an allocation that lasts as long as its command. Cadre runs the command on the allocation's first node
 * (as Slurm does with use_interactive_step), with the job's environment, so that srun and mpirun in it use the
 * allocation; its output is shown here as it is written ({@link FollowedJob}) and salloc exits with its code. With
 * no command, the shell reads salloc's standard input, as a shell started by salloc would; at a terminal the shell
 * runs there at a pseudo-terminal that takes this one's keys ({@link InteractiveStep}). Ctrl-C gives the allocation
 * back, as -I does when the allocation has not started in time.
 */
final class SallocCommand {
    /** A job's script may hold this much; a longer input is refused. */
    private static final int MAX_INPUT = 1 << 20;
    /** What salloc says before the controller's reason when it refuses the allocation. */
    private static final String REFUSED = "Job submit/allocate failed";

    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Map<String, String> env;
    private final InputStream in;
    private final boolean terminal;

    /** @param terminal whether {@code in} is a terminal, at which salloc without a command runs the shell */
    SallocCommand(PrintStream out, PrintStream err, String config, Map<String, String> env, InputStream in,
            boolean terminal) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.env = env;
        this.in = in;
        this.terminal = terminal;
    }

    int run(List<String> args) {
        SallocCommandLine line;
        try {
            line = SallocCommandLine.parse(args);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        if (line.help() != null) {
            out.print(line.help());
            return 0;
        }
        ImmediateAllocation immediate;
        try {
            immediate = ImmediateAllocation.of("salloc", line.immediateSeconds(env), env);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        String script;
        try {
            script = script(line.command());
        } catch (IOException e) {
            err.println("salloc: error: " + e.getMessage());
            return 1;
        }
        List<String> argv = new ArrayList<>(line.allocation());
        if (line.allocation().stream().noneMatch(w -> w.startsWith("-J") || w.startsWith("--job-name"))) {
            String program = line.command().isEmpty() ? shell() : line.command().get(0);
            argv.addAll(List.of("-J", program.substring(program.lastIndexOf('/') + 1)));
        }
        argv.addAll(List.of("-o", ".cadre-salloc-%j.out", "-e", ".cadre-salloc-%j.err", "--wrap", script));
        SbatchRequest request;
        try {
            request = SbatchCommandLine.parseSalloc(argv, env, Path.of("").toAbsolutePath().toString(),
                    System.getProperty("user.name"), SubmitHost.name(), new LocalClock());
        } catch (SlurmUsageException e) {
            e.lines().forEach(l -> err.println(l.startsWith("sbatch: ") ? "salloc: " + l.substring(8)
                    : "salloc: error: " + SrunScheduling.allocationRefusal(l, REFUSED)));
            return 1;
        }
        if (!request.quiet()) {
            request.warnings().forEach(w -> err.println(w.startsWith("sbatch: ") ? "salloc: " + w.substring(8) : w));
        }
        if (immediate != null) {
            immediate.notes().forEach(err::println);
        }
        LongFunction<FollowedJob.Sayings> sayings = this::sayings;
        if (line.command().isEmpty() && terminal) {
            sayings = new InteractiveStep(out, err, config, "salloc", List.of(shell()), true, env, false, false)
                    .around(sayings);
        }
        return new FollowedJob(out, err, "salloc").submitAndFollow(config, request.spec(), REFUSED,
                id -> "salloc: Job allocation " + id + " has been revoked.", sayings, immediate);
    }

    /** salloc's words as the allocation comes, runs and goes. */
    private FollowedJob.Sayings sayings(long id) {
        return new FollowedJob.Sayings() {
            private boolean granted;

            @Override
            public void queued() {
                err.println("salloc: Pending job allocation " + id);
                err.println("salloc: job " + id + " queued and waiting for resources");
            }

            @Override
            public void started(Json job, boolean afterQueued) {
                if (!job.hasNonNull("startTime")) {
                    return;
                }
                granted = true;
                if (afterQueued) {
                    err.println("salloc: job " + id + " has been allocated resources");
                }
                err.println("salloc: Granted job allocation " + id);
                err.println("salloc: Nodes " + job.path("nodeList").asText() + " are ready for job");
            }

            @Override
            public int ended(Json job) {
                JobEnd end = JobEnd.of(job);
                switch (end.state()) {
                    case TIMEOUT -> err.println("salloc: Job " + id + " has exceeded its time limit and its"
                            + " allocation has been revoked.");
                    case CANCELLED -> err.println("salloc: Job allocation " + id + " has been revoked.");
                    case FAILED -> {
                        if (end.failedToStart()) {
                            err.println("salloc: error: job " + id + " did not start: "
                                    + (end.why().isEmpty() ? "its node could not run it" : end.why()));
                        }
                    }
                    default -> { }
                }
                if (granted) {
                    err.println("salloc: Relinquishing job allocation " + id);
                }
                return end.srunExit();
            }
        };
    }

    /** The job's script: the command in place of the shell, or the shell reading salloc's input. */
    private String script(List<String> command) throws IOException {
        if (!command.isEmpty()) {
            StringBuilder script = new StringBuilder("exec");
            command.forEach(w -> script.append(' ').append(ShellWord.quote(w)));
            return script.toString();
        }
        if (terminal) {
            // The shell runs from here, at a pseudo-terminal, in a job that holds the nodes (InteractiveStep).
            return AllocationHold.script();
        }
        byte[] input = in.readNBytes(MAX_INPUT + 1);
        if (input.length > MAX_INPUT) {
            throw new IOException("standard input is longer than " + MAX_INPUT + " bytes, the most a job's script"
                    + " may hold");
        }
        String text = new String(input, StandardCharsets.UTF_8);
        String end = "CADRE_SALLOC_INPUT_" + UUID.randomUUID().toString().replace("-", "");
        String shell = shell();
        return "exec " + ShellWord.quote(shell) + " <<'" + end + "'\n" + text + (text.endsWith("\n") ? ""
                : "\n") + end;
    }

    /** The shell salloc starts without a command: the caller's, as Slurm's salloc starts it. */
    private String shell() {
        String shell = env.get("SHELL");
        return shell == null || shell.isBlank() ? "/bin/sh" : shell;
    }
}
