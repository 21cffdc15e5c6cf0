package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * sbatch's and srun's submission over REST, sent again while the head leaves it unanswered. The head answers 504
 * once the scheduler has not answered within 30 s, as while its database is locked or its disk is full; the
 * submission then waits on the broker and makes its job once the head can write again. Giving up at that point
 * would tell the user it failed while the job is made later, and a user who submits again would get it twice. So
 * the same submission, under the same submission id (the head makes one job of it however often it comes), is sent
 * again with growing pauses for up to {@link #PATIENCE}; if the head still has not answered, the error says the job
 * may yet be made and how to look for it.
 */
final class PatientSubmission {
    static final Duration PATIENCE = Duration.ofMinutes(5);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(15);

    /** One POST /api/jobs. */
    interface Post {
        Json send(Map<String, Object> body) throws RestClient.ClientException;
    }

    /** The time, and waits between tries; tests pass one whose waits only move its time on. */
    interface Time {
        Instant now();

        void sleep(Duration d) throws InterruptedException;
    }

    private final Post post;
    private final Time time;
    private final Duration patience;
    private final PrintStream err;
    private final String command;

    /** @param command the command's name, for what it prints: "sbatch" */
    PatientSubmission(Post post, Time time, Duration patience, PrintStream err, String command) {
        this.post = post;
        this.time = time;
        this.patience = patience;
        this.err = err;
        this.command = command;
    }

    /** Over this REST client, waiting in real time. */
    static PatientSubmission over(RestClient rest, PrintStream err, String command) {
        OverRest real = new OverRest(rest);
        return new PatientSubmission(real, real, PATIENCE, err, command);
    }

    /** A class rather than lambdas, which would cost every sbatch their bootstrap. */
    private static final class OverRest implements Post, Time {
        private final RestClient rest;

        OverRest(RestClient rest) {
            this.rest = rest;
        }

        @Override
        public Json send(Map<String, Object> body) throws RestClient.ClientException {
            return rest.post("/api/jobs", body);
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }
    }

    /**
     * The job's id, from the first answer the head gives.
     *
     * @throws RestClient.ClientException a refusal as the head gave it; or, once the patience is spent, a failure
     *         saying the job may still be made
     */
    long submit(String submissionId, JobSpec spec) throws RestClient.ClientException, InterruptedException {
        Map<String, Object> body = Map.of("submissionId", submissionId, "spec", spec);
        Instant start = time.now();
        Duration nextPause = FIRST_PAUSE;
        boolean mayHaveArrived = false;
        boolean told = false;
        while (true) {
            try {
                return post.send(body).path("jobId").asLong();
            } catch (RestClient.ClientException e) {
                // A head that could not be reached has nothing of this submission, unless an earlier try reached
                // it: then it may be restarting with the submission on its broker.
                boolean open = e.answer == RestClient.Answer.NONE
                        || e.answer == RestClient.Answer.NOT_REACHED && mayHaveArrived;
                if (!open) {
                    throw e;
                }
                mayHaveArrived = true;
                Duration left = patience.minus(Duration.between(start, time.now()));
                if (left.isNegative() || left.isZero()) {
                    throw new RestClient.ClientException(e.status, e.getMessage() + "; no answer for "
                            + Duration.between(start, time.now()).toSeconds() + " s, and the job may still be"
                            + " created: look for it with 'squeue --name " + spec.name() + "' before submitting"
                            + " again (submission id " + submissionId + ")");
                }
                if (!told) {
                    told = true;
                    err.println(command + ": the head is slow to answer; still trying (submission id " + submissionId
                            + ")");
                    err.flush();
                }
                time.sleep(nextPause.compareTo(left) < 0 ? nextPause : left);
                nextPause = nextPause.multipliedBy(2).compareTo(MAX_PAUSE) < 0 ? nextPause.multipliedBy(2) : MAX_PAUSE;
            }
        }
    }
}
