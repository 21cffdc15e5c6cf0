package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * scancel's and scontrol's changes over REST (cancel, signal, hold, release, requeue, update, drain, resume, delete),
 * each under an Idempotency-Key of its own, sent again under it while the head leaves it unanswered, as
 * {@link PatientSubmission} sends a submission: the head carries a change out once however often it comes
 * (docs/protocol.md 7.7), so a TimeLimit+=5 or a requeue that a slow head answers late is not done twice. The
 * patience is the command's, spent across its requests ({@link Patience}); when it runs out, the failure's answer
 * is {@link RestClient.Answer#NONE}, and the command says the change may still be carried out later
 * ({@link RestClient.ClientException#mayStillBeCarriedOut}).
 */
final class PatientControl {
    static final Duration PATIENCE = PatientSubmission.PATIENCE;

    /** One request under its key, giving up connecting after connectMillis. */
    interface Change {
        Json send(String method, String apiPath, Object body, String key, int connectMillis)
                throws RestClient.ClientException;
    }

    private final Change rest;
    private final Patience.Time time;
    private final Patience patience;

    PatientControl(Change rest, Patience.Time time, Duration patience, PrintStream err, String command) {
        this.rest = rest;
        this.time = time;
        this.patience = new Patience(time, patience, err, command);
    }

    /** Over this REST client, waiting in real time for up to patience in all (tests: less than {@link #PATIENCE}). */
    static PatientControl over(RestClient rest, PrintStream err, String command, Duration patience) {
        return new PatientControl(new OverRest(rest), Patience.SYSTEM_TIME, patience, err, command);
    }

    /** A class rather than lambdas, which would cost every command their bootstrap. */
    private static final class OverRest implements Change {
        private final RestClient rest;

        OverRest(RestClient rest) {
            this.rest = rest;
        }

        @Override
        public Json send(String method, String apiPath, Object body, String key, int connectMillis)
                throws RestClient.ClientException {
            return rest.change(method, apiPath, body, key, connectMillis);
        }
    }

    Json post(String apiPath, Object body) throws RestClient.ClientException {
        return send("POST", apiPath, body);
    }

    Json delete(String apiPath) throws RestClient.ClientException {
        return send("DELETE", apiPath, null);
    }

    /** One user's change: one key, however many tries. */
    private Json send(String method, String apiPath, Object body) throws RestClient.ClientException {
        String key = SubmissionId.fresh();
        Patience.Attempt attempt = new Patience.Attempt() {
            @Override
            public Json send(int connectMillis) throws RestClient.ClientException {
                return rest.send(method, apiPath, body, key, connectMillis);
            }
        };
        Patience.Words words = new Patience.Words() {
            @Override
            public String slow() {
                return "the head is slow to answer; still trying (request id " + key + ")";
            }

            @Override
            public String givingUp(Instant start) {
                return "gave up after trying for " + Duration.between(start, time.now()).toSeconds()
                        + " s (request id " + key + ")";
            }
        };
        try {
            return patience.send(attempt, words);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestClient.ClientException(0, "interrupted while waiting for the head", null,
                    RestClient.Answer.NONE);
        }
    }
}
