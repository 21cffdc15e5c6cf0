package dev.cadre.node.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a node that found its head over mDNS should look for it again. The broker connection retries the address it
 * was given for ever, which is right while the head restarts, and wrong once the head has moved (DHCP gave it
 * another address) or another head now serves the cluster: after {@code patience} without a connection the node
 * browses again, and again each {@code patience} while still cut off.
 */
public final class HeadLoss {
    public enum Action {
        /** Connected, or not cut off long enough: let the connection keep retrying. */
        WAIT,
        /** Cut off for the patience: browse mDNS again for the head now announced. */
        BROWSE
    }

    private final Clock clock;
    private final Duration patience;
    /** Since when the connection is down (or the last browse, whichever is later); null while connected. */
    private Instant cutOffSince;

    public HeadLoss(Clock clock, Duration patience) {
        if (patience.isNegative() || patience.isZero()) {
            throw new IllegalArgumentException("the time before browsing again must be positive, not " + patience);
        }
        this.clock = clock;
        this.patience = patience;
    }

    /** The connection to the head failed; a second report while already cut off changes nothing. */
    public synchronized void lost() {
        if (cutOffSince == null) {
            cutOffSince = clock.instant();
        }
    }

    /** The connection is back (or a new head was joined). */
    public synchronized void regained() {
        cutOffSince = null;
    }

    public synchronized Action decide() {
        if (cutOffSince == null || clock.instant().isBefore(cutOffSince.plus(patience))) {
            return Action.WAIT;
        }
        return Action.BROWSE;
    }

    /** A browse found no other head: the next one is due after another patience, if still cut off. */
    public synchronized void browsed() {
        if (cutOffSince != null) {
            cutOffSince = clock.instant();
        }
    }

    /** How long the node has been cut off (since the last browse); empty while connected. */
    public synchronized Optional<Duration> cutOffFor() {
        return Optional.ofNullable(cutOffSince).map(s -> Duration.between(s, clock.instant()));
    }
}
