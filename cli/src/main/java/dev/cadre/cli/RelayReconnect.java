package dev.cadre.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * When an agent whose relay connection broke before its command's exit tries the relay socket again (protocol.md
 * §13.9): the runner stopped or restarted, and the next one on the same socket takes the run up. Tries come soon
 * at first, then every {@link #LONGEST_PAUSE}, and stop {@link #LIMIT} after the break: a runner not back by then is
 * not coming in time, since the nodes kill a command {@code 65 s} after its last keepalive.
 */
record RelayReconnect(Instant broke) {
    /** Well inside the nodes' silence limit of 65 s (ExecService.SILENCE_LIMIT), and the default node timeout. */
    static final Duration LIMIT = Duration.ofSeconds(60);
    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    /**
     * The pause before try number {@code tries} (0 for the first), or null when it is too late to try again.
     *
     * @param now the time it is asked
     */
    Duration pauseBefore(int tries, Instant now) {
        Duration left = Duration.between(now, broke.plus(LIMIT));
        if (left.isNegative() || left.isZero()) {
            return null;
        }
        Duration pause = tries >= 5 ? LONGEST_PAUSE : FIRST_PAUSE.multipliedBy(1L << tries);
        pause = pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
        return pause.compareTo(left) > 0 ? left : pause;
    }
}
