package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * sbatch's and srun's submission over REST, sent again while the head leaves it unanswered. The head answers 504
 * once the scheduler has not answered within 30 s, as while its database is locked or its disk is full; the
 * submission then waits on the broker and makes its job once the head can write again. Giving up at that point
 * would tell the user it failed while the job is made later, and a user who submits again would get it twice. So
 * the same submission, under the same submission id (the head makes one job of it however often it comes), is sent
 * again with growing pauses for up to {@link #PATIENCE}; if the head still has not answered, the error says the job
 * may yet be made, how to look for it (sacct, as it may have ended by then), and for srun how to stop it.
 *
 * <p>A head that cannot be reached at all is tried again for {@link #UNREACHED_PATIENCE}, as Slurm's commands try
 * to connect to slurmctld for MessageTimeout (10 s by default): a head restarting after a crash or an upgrade is
 * back within seconds, and a script or workflow tool should not see a failure where a short wait works. The same
 * submission id makes a repeat harmless. {@link Patience} makes the tries.
 */
final class PatientSubmission {
    static final Duration PATIENCE = Duration.ofMinutes(5);
    static final Duration MAX_PAUSE = Patience.MAX_PAUSE;
    static final Duration UNREACHED_PATIENCE = Patience.UNREACHED_PATIENCE;

    /** One POST /api/jobs, giving up connecting after connectMillis. */
    interface Post {
        Json send(Map<String, Object> body, int connectMillis) throws RestClient.ClientException;
    }

    private final Post post;
    private final Patience.Time time;
    private final Duration patience;
    private final PrintStream err;
    private final String command;
    private final ZoneId zone;

    /** @param command the command's name, for what it prints: "sbatch" */
    PatientSubmission(Post post, Patience.Time time, Duration patience, PrintStream err, String command) {
        // The user's zone is looked up only when giving up: most runs never need it, and sbatch is to start fast.
        this(post, time, patience, err, command, null);
    }

    /** @param zone the one sacct -S reads a time in: the user's (null: the system's, looked up when needed) */
    PatientSubmission(Post post, Patience.Time time, Duration patience, PrintStream err, String command,
            ZoneId zone) {
        this.zone = zone;
        this.post = post;
        this.time = time;
        this.patience = patience;
        this.err = err;
        this.command = command;
    }

    /** Over this REST client, waiting in real time. */
    static PatientSubmission over(RestClient rest, PrintStream err, String command) {
        return new PatientSubmission(new OverRest(rest), Patience.SYSTEM_TIME, PATIENCE, err, command);
    }

    /** A class rather than lambdas, which would cost every sbatch their bootstrap. */
    private static final class OverRest implements Post {
        private final RestClient rest;

        OverRest(RestClient rest) {
            this.rest = rest;
        }

        @Override
        public Json send(Map<String, Object> body, int connectMillis) throws RestClient.ClientException {
            return rest.post("/api/jobs", body, connectMillis);
        }
    }

    /**
     * What the user is to do now that no answer came: the job may still be made, and may even have ended by the
     * time the user looks, so sacct (which lists ended jobs, where squeue does not) since the command's start. A job
     * srun no longer waits for runs with nobody to see its output, or to stop it with Ctrl-C.
     */
    private String givingUp(Instant start, JobSpec spec, String submissionId) {
        String since = LocalDateTime.ofInstant(start, zone != null ? zone : ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).toString();
        if (since.length() == 16) {
            since += ":00";
        }
        String look = "sacct " + (spec.name() == null ? "" : "--name " + spec.name() + " ") + "-S " + since;
        String text = "no answer for " + Duration.between(start, time.now()).toSeconds() + " s, and the job may still"
                + " be created: look for it with '" + look + "' (squeue leaves out one that already ended) before"
                + " submitting again (submission id " + submissionId + ")";
        if (command.equals("srun")) {
            text += ". A job created after srun gave up runs its command with nobody attached and its output"
                    + " reaches no terminal: cancel it with 'scancel ID', ID being the job id that sacct shows";
        }
        return text;
    }

    /**
     * The job's id, from the first answer the head gives.
     *
     * @throws RestClient.ClientException a refusal as the head gave it; or, once the patience is spent, a failure
     *         saying the job may still be made
     */
    long submit(String submissionId, JobSpec spec) throws RestClient.ClientException, InterruptedException {
        Map<String, Object> body = Map.of("submissionId", submissionId, "spec", spec);
        // Classes rather than lambdas, as above.
        Patience.Attempt attempt = new Patience.Attempt() {
            @Override
            public Json send(int connectMillis) throws RestClient.ClientException {
                return post.send(body, connectMillis);
            }
        };
        Patience.Words words = new Patience.Words() {
            @Override
            public String slow() {
                return "the head is slow to answer; still trying (submission id " + submissionId + ")";
            }

            @Override
            public String givingUp(Instant start) {
                return PatientSubmission.this.givingUp(start, spec, submissionId);
            }
        };
        return new Patience(time, patience, err, command).send(attempt, words).path("jobId").asLong();
    }
}
