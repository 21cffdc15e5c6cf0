package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends a request again, under the id that makes the head act on it once, while the head leaves it unanswered: a 504
 * (the scheduler slow, its database locked), a 503, or a connection that broke after sending. The request then waits
 * on the broker and is carried out once the head can write again, so giving up at the first 504 would report a
 * failure the head later belies, and a user who repeats it would have it done twice. Tries pause from
 * {@link #FIRST_PAUSE}, doubling up to {@link #MAX_PAUSE}. A head that cannot be reached at all is tried for
 * {@link #UNREACHED_PATIENCE}, as Slurm's commands try slurmctld for MessageTimeout: a head restarting is back within
 * seconds.
 *
 * <p>The patience is spent across the requests of one command: a command naming many jobs waits for an unanswering
 * head at most that long in all, then tries each of its other requests once.
 */
final class Patience {
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(15);
    static final Duration UNREACHED_PATIENCE = Duration.ofSeconds(10);
    static final Duration UNREACHED_PAUSE = Duration.ofMillis(500);

    /** The time, and waits between tries; tests pass one whose waits only move its time on. */
    interface Time {
        Instant now();

        void sleep(Duration d) throws InterruptedException;
    }

    /** Real time; a class rather than a lambda, which would cost every command its bootstrap. */
    static final Time SYSTEM_TIME = new Time() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }
    };

    /** One try of the request, giving up connecting after connectMillis. */
    interface Attempt {
        Json send(int connectMillis) throws RestClient.ClientException;
    }

    /** What the user is told, in the words of the request's kind. */
    interface Words {
        /** Said once, when the head first leaves a try unanswered. */
        String slow();

        /** Added to the last failure's text on giving up: what may still happen, and what to do. */
        String givingUp(Instant start);
    }

    private final Time time;
    private final PrintStream err;
    private final String command;
    /** What is left of the patience for unanswered tries; spent by each request that waited. */
    private Duration left;
    private boolean toldSlow;

    /** @param command the command's name, for what it prints: "sbatch" */
    Patience(Time time, Duration patience, PrintStream err, String command) {
        this.time = time;
        this.left = patience;
        this.err = err;
        this.command = command;
    }

    /**
     * The head's answer to the request.
     *
     * @throws RestClient.ClientException a refusal as the head gave it; or, once the patience is spent, the last
     *         failure with the words' {@link Words#givingUp}, its answer {@link RestClient.Answer#NONE}
     */
    Json send(Attempt attempt, Words words) throws RestClient.ClientException, InterruptedException {
        Instant start = time.now();
        Duration nextPause = FIRST_PAUSE;
        boolean mayHaveArrived = false;
        boolean toldUnreached = false;
        while (true) {
            // While the head cannot be reached, a try against a host that drops packets is cut at the end of the
            // wait, which it would otherwise overrun by up to a whole connect timeout.
            int connectMillis = mayHaveArrived ? RestClient.CONNECT_TIMEOUT_MS
                    : (int) Math.min(RestClient.CONNECT_TIMEOUT_MS, UNREACHED_PATIENCE.minus(since(start)).toMillis());
            try {
                Json answer = attempt.send(connectMillis);
                spend(mayHaveArrived, start);
                return answer;
            } catch (RestClient.ClientException e) {
                if (e.answer == RestClient.Answer.NOT_REACHED && !mayHaveArrived) {
                    Duration unreached = UNREACHED_PATIENCE.minus(since(start));
                    if (unreached.isNegative() || unreached.isZero()) {
                        throw new RestClient.ClientException(e.status, e.getMessage() + " (tried for "
                                + since(start).toSeconds() + " s)", null, RestClient.Answer.NOT_REACHED);
                    }
                    if (!toldUnreached) {
                        toldUnreached = true;
                        say(e.getMessage() + "; trying again for up to " + UNREACHED_PATIENCE.toSeconds() + " s");
                    }
                    time.sleep(UNREACHED_PAUSE.compareTo(unreached) < 0 ? UNREACHED_PAUSE : unreached);
                    continue;
                }
                // A head that could not be reached has nothing of this request, unless an earlier try reached it:
                // then it may be restarting with the request on its broker.
                boolean open = e.answer == RestClient.Answer.NONE
                        || e.answer == RestClient.Answer.NOT_REACHED && mayHaveArrived;
                if (!open) {
                    spend(mayHaveArrived, start);
                    throw e;
                }
                mayHaveArrived = true;
                Duration remaining = left.minus(since(start));
                if (remaining.isNegative() || remaining.isZero()) {
                    spend(true, start);
                    throw new RestClient.ClientException(e.status, e.getMessage() + "; " + words.givingUp(start),
                            e.state, RestClient.Answer.NONE);
                }
                if (!toldSlow) {
                    toldSlow = true;
                    say(words.slow());
                }
                time.sleep(nextPause.compareTo(remaining) < 0 ? nextPause : remaining);
                nextPause = nextPause.multipliedBy(2).compareTo(MAX_PAUSE) < 0 ? nextPause.multipliedBy(2) : MAX_PAUSE;
            }
        }
    }

    private Duration since(Instant start) {
        return Duration.between(start, time.now());
    }

    /** A request the head left unanswered spent what it waited of the command's patience. */
    private void spend(boolean waited, Instant start) {
        if (waited) {
            left = left.minus(since(start));
            if (left.isNegative()) {
                left = Duration.ZERO;
            }
        }
    }

    private void say(String line) {
        err.println(command + ": " + line);
        err.flush();
    }
}
