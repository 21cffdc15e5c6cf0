package dev.cadre.cli;

import dev.cadre.cli.slurm.JobEnd;
import dev.cadre.cli.slurm.SbatchCommandLine;
import dev.cadre.cli.slurm.SbatchRequest;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SrunOptions;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobState;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * srun outside a job: submits a job sized by srun's options whose script runs srun again, inside the allocation,
 * and follows it: its output as it is written (the job writes it to two files in its working directory, which
 * the submitting machine sees as Slurm clusters see theirs, through a shared file system), then its exit code.
 * Ctrl-C cancels the job.
 */
final class SrunAllocation {
    private static final long POLL_MS = 100;
    /** Slurm says a job waits once it has waited about this long. */
    private static final long QUEUED_NOTICE_MS = 1_000;

    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Map<String, String> env;

    SrunAllocation(PrintStream out, PrintStream err, String config, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.env = env;
    }

    /** A path as srun reads -D: relative to its own directory. */
    static String absolute(String path) {
        return Path.of(path).isAbsolute() ? path : Path.of("").toAbsolutePath().resolve(path).toString();
    }

    int run(SrunOptions o) {
        String launcher = env.get("CADRE_LAUNCHER");
        if (launcher == null) {
            err.println("srun: error: CADRE_LAUNCHER is not set; run srun as bin/srun or 'cadre srun'");
            return 1;
        }
        String cwd = Path.of("").toAbsolutePath().toString();
        SbatchRequest request;
        try {
            request = SbatchCommandLine.parseAllocation(submission(o, launcher), env, cwd,
                    System.getProperty("user.name"), SubmitHost.name(), new LocalClock());
        } catch (SlurmUsageException e) {
            e.lines().forEach(line -> err.println("srun: error: " + line));
            return 1;
        }
        long id;
        RestClient rest;
        try {
            rest = RestClient.fromConfig(config);
            id = PatientSubmission.over(rest, err, "srun").submit(SubmissionId.fresh(), request.spec());
        } catch (RestClient.ClientException e) {
            err.println("srun: error: Unable to allocate resources: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        // Where the job writes them: its working directory as sent, -D made absolute and normalised.
        String dir = request.spec().workDir();
        Path stdout = Path.of(dir, ".cadre-srun-" + id + ".out");
        Path stderr = Path.of(dir, ".cadre-srun-" + id + ".err");
        AtomicBoolean ended = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (!ended.get()) {
                err.println("srun: forcing job termination");
                try {
                    rest.post("/api/jobs/" + id + "/cancel", Map.of());
                } catch (RestClient.ClientException e) {
                    err.println("srun: error: cannot cancel job " + id + ": " + e.getMessage());
                }
                remove(stdout, stderr);
            }
        }, "srun-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return follow(rest, id, stdout, stderr, ended);
        } finally {
            ended.set(true);
            remove(stdout, stderr);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already.
            }
        }
    }

    /** sbatch's words for the job: srun's sizing options, its name, and a script that runs srun inside it. */
    private static List<String> submission(SrunOptions o, String launcher) {
        List<String> inner = new ArrayList<>(List.of(launcher, "srun"));
        if (o.label()) {
            inner.add("-l");
        }
        if (o.mpi() != null) {
            inner.add("--mpi=" + o.mpi());
        }
        if (o.killOnBadExit()) {
            inner.add("-K");
        }
        if (o.cyclic()) {
            inner.addAll(List.of("-m", "cyclic"));
        }
        if (o.output() != null) {
            inner.addAll(List.of("-o", o.output()));
        }
        if (o.error() != null) {
            inner.addAll(List.of("-e", o.error()));
        }
        inner.add("--");
        inner.addAll(o.command());
        StringBuilder script = new StringBuilder("exec");
        inner.forEach(w -> script.append(" '").append(w.replace("'", "'\\''")).append('\''));
        List<String> argv = new ArrayList<>(o.allocation());
        if (o.jobName() == null) {
            String program = o.command().get(0);
            argv.addAll(List.of("-J", program.substring(program.lastIndexOf('/') + 1)));
        }
        argv.addAll(List.of("-o", ".cadre-srun-%j.out", "-e", ".cadre-srun-%j.err", "--wrap", script.toString()));
        return argv;
    }

    private int follow(RestClient rest, long id, Path stdout, Path stderr, AtomicBoolean ended) {
        long[] read = {0, 0};
        long since = System.currentTimeMillis();
        boolean queuedSaid = false;
        boolean started = false;
        while (true) {
            Json job;
            try {
                job = rest.get("/api/jobs/" + id);
            } catch (RestClient.ClientException e) {
                err.println("srun: error: lost job " + id + ": " + e.getMessage());
                return 1;
            }
            JobState state = JobState.valueOf(job.path("state").asText());
            if (!started && state == JobState.PENDING && !queuedSaid
                    && System.currentTimeMillis() - since > QUEUED_NOTICE_MS) {
                err.println("srun: job " + id + " queued and waiting for resources");
                queuedSaid = true;
            }
            if (!started && state != JobState.PENDING) {
                started = true;
                if (queuedSaid) {
                    err.println("srun: job " + id + " has been allocated resources");
                }
            }
            read[0] = copyNew(stdout, read[0], out);
            read[1] = copyNew(stderr, read[1], err);
            if (state.isTerminal()) {
                ended.set(true);
                read[0] = copyNew(stdout, read[0], out);
                read[1] = copyNew(stderr, read[1], err);
                return exitCode(job, id);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    /** srun's exit code by the rule sbatch --wait shares ({@link JobEnd}); a line for an end its tasks did not tell. */
    private int exitCode(Json job, long id) {
        JobEnd end = JobEnd.of(job);
        String said = switch (end.state()) {
            case COMPLETED -> null;
            // Slurm's srun words a step that could not start so; the node's error names what it lacked.
            case FAILED -> end.failedToStart() ? "Application launch failed: "
                    + (end.why().isEmpty() ? "job " + id + " did not start" : end.why()) : null;
            case TIMEOUT -> "job " + id + " ran past its time limit (TIMEOUT)";
            case CANCELLED -> "job " + id + " was cancelled";
            default -> "job " + id + " ended " + end.state();
        };
        if (said != null) {
            err.println("srun: error: " + said);
        }
        return end.srunExit();
    }

    /** Writes what the file gained since {@code from}; returns how far it has been read. */
    private static long copyNew(Path file, long from, OutputStream to) {
        if (!Files.isRegularFile(file)) {
            return from;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length <= from) {
                return from;
            }
            f.seek(from);
            byte[] buffer = new byte[(int) Math.min(length - from, 1 << 20)];
            f.readFully(buffer);
            to.write(buffer);
            to.flush();
            return from + buffer.length;
        } catch (IOException e) {
            return from;
        }
    }

    private static void remove(Path... files) {
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // Left behind: only output already shown.
            }
        }
    }
}
