package dev.cadre.cli;

import dev.cadre.cli.slurm.ImmediateAllocation;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * A job followed from the submitting machine, as srun and salloc follow theirs: its state polled over the REST API,
 * its output copied from the two files it writes in its working directory (which the submitting machine sees
 * through a shared file system, as Slurm clusters see theirs) as they grow, until it ends. The wait for its start
 * ends early, the job cancelled, when -I's limit passes ({@link ImmediateAllocation}) or its dependency can never
 * be satisfied.
 */
final class FollowedJob {
    private static final long POLL_MS = 100;
    /** Slurm says a job waits once it has waited about this long. */
    private static final long QUEUED_NOTICE_MS = 1_000;
    /** The scheduler's reason for a job whose dependency can never be satisfied. */
    static final String NEVER_SATISFIED = "DependencyNeverSatisfied";

    /** What the command says as the job goes. */
    interface Sayings {
        /** The job has waited a while for resources. */
        void queued();

        /** It left PENDING; {@code afterQueued} when {@link #queued} was said. */
        void started(Json job, boolean afterQueued);

        /** It ended; returns the command's exit code. */
        int ended(Json job);

        /**
         * The command's exit code when this side is over before the job's end can be known (the head was lost while
         * the command ran), else null.
         */
        default Integer over() {
            return null;
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final String program;

    FollowedJob(PrintStream out, PrintStream err, String program) {
        this.out = out;
        this.err = err;
        this.program = program;
    }

    /**
     * Submits the job and follows it to its end; Ctrl-C cancels it, after {@code interrupted}'s line. The job must
     * write its output to {@code .cadre-PROGRAM-%j.out} and {@code .err} in its working directory, which this
     * removes once followed.
     *
     * @param refused what the command says before the head's reason when the submission fails
     * @param immediate -I's limit on the wait for the start, else null
     * @return the command's exit code ({@link Sayings#ended}), 1 when the job could not be submitted or was lost,
     *         or could never start (its dependency), -I's code when it did not start in time
     */
    int submitAndFollow(String config, JobSpec spec, String refused, LongFunction<String> interrupted,
            LongFunction<Sayings> sayings, ImmediateAllocation immediate) {
        long id;
        RestClient rest;
        try {
            rest = RestClient.fromConfig(config);
            id = PatientSubmission.over(rest, err, program).submit(SubmissionId.fresh(), spec);
        } catch (RestClient.ClientException e) {
            for (String line : SubmissionRefusal.lines(refused, e)) {
                err.println(program + ": error: " + line);
            }
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        // Where the job writes them: its working directory as sent, -D made absolute and normalised.
        Path stdout = Path.of(spec.workDir(), ".cadre-" + program + "-" + id + ".out");
        Path stderr = Path.of(spec.workDir(), ".cadre-" + program + "-" + id + ".err");
        AtomicBoolean ended = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (!ended.get()) {
                err.println(interrupted.apply(id));
                cancel(rest, id);
                remove(stdout, stderr);
            }
        }, program + "-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Start start = new Start(refused, immediate, System.nanoTime());
            return follow(rest, id, stdout, stderr, ended, sayings.apply(id), start);
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

    /** What ends the wait for the job's start before it starts. */
    private record Start(String refused, ImmediateAllocation immediate, long submittedNanos) {
        /** Nanoseconds until -I's limit passes; Long.MAX_VALUE without one. */
        long left() {
            return immediate == null ? Long.MAX_VALUE
                    : submittedNanos + immediate.seconds() * 1_000_000_000L - System.nanoTime();
        }
    }

    /** @param ended set once the job has ended, so that an interrupt no longer cancels it */
    private int follow(RestClient rest, long id, Path stdout, Path stderr, AtomicBoolean ended, Sayings sayings,
            Start start) {
        long[] read = {0, 0};
        long since = System.currentTimeMillis();
        boolean queuedSaid = false;
        boolean started = false;
        while (true) {
            Json job;
            try {
                job = rest.get("/api/jobs/" + id);
            } catch (RestClient.ClientException e) {
                err.println(program + ": error: lost job " + id + ": " + e.getMessage());
                return 1;
            }
            JobState state = JobState.valueOf(job.path("state").asText());
            if (!started && neverStarts(job, state)) {
                // Cancelled by the scheduler, or kept pending as it is set to: either way it cannot start now.
                ended.set(true);
                if (state == JobState.PENDING) {
                    cancel(rest, id);
                }
                err.println(program + ": error: " + start.refused() + ": Job dependency problem");
                err.println(program + ": error: job " + id + " cancelled: its dependency can never be satisfied ("
                        + NEVER_SATISFIED + ")");
                return 1;
            }
            if (!started && state == JobState.PENDING && start.left() <= 0) {
                ended.set(true);
                cancel(rest, id);
                err.println(start.immediate().refusal());
                return start.immediate().exitCode();
            }
            if (!started && state == JobState.PENDING && !queuedSaid
                    && System.currentTimeMillis() - since > QUEUED_NOTICE_MS) {
                sayings.queued();
                queuedSaid = true;
            }
            if (!started && state != JobState.PENDING) {
                started = true;
                sayings.started(job, queuedSaid);
                if (sayings.over() != null) {
                    ended.set(true);
                    return sayings.over();
                }
            }
            read[0] = copyNew(stdout, read[0], out);
            read[1] = copyNew(stderr, read[1], err);
            if (state.isTerminal()) {
                ended.set(true);
                read[0] = copyNew(stdout, read[0], out);
                read[1] = copyNew(stderr, read[1], err);
                return sayings.ended(job);
            }
            try {
                // Woken at -I's limit, not a poll later.
                Thread.sleep(Math.max(1, Math.min(POLL_MS, started ? POLL_MS : start.left() / 1_000_000 + 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    /** A job that will not start: its dependency can never be satisfied, and it was (or is to be) cancelled. */
    private static boolean neverStarts(Json job, JobState state) {
        return NEVER_SATISFIED.equals(job.path("reason").asText()) && !job.hasNonNull("startTime")
                && (state == JobState.PENDING || state == JobState.CANCELLED);
    }

    private void cancel(RestClient rest, long id) {
        try {
            rest.post("/api/jobs/" + id + "/cancel", CancelBody.of(Map.of()));
        } catch (RestClient.ClientException e) {
            err.println(program + ": error: cannot cancel job " + id + ": " + e.getMessage());
        }
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
